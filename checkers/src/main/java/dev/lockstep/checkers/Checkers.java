package dev.lockstep.checkers;

import dev.lockstep.checkers.continuity.OutputContinuityChecker;
import dev.lockstep.checkers.continuity.Reproduced;
import dev.lockstep.checkers.events.DivergenceChecker;
import dev.lockstep.checkers.events.DuplicateOutputChecker;
import dev.lockstep.checkers.events.SplitBrainChecker;
import dev.lockstep.checkers.linear.Counterexample;
import dev.lockstep.checkers.linear.CounterexampleHtml;
import dev.lockstep.checkers.linear.LinearOptions;
import dev.lockstep.checkers.linear.LinearReport;
import dev.lockstep.checkers.linear.LinearizabilityChecker;
import dev.lockstep.checkers.stats.StatsChecker;
import dev.lockstep.histories.events.NodeEvent;
import dev.lockstep.histories.events.NodeEventReader;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every checker on one run and merges their verdicts ({@code false > unknown > true}). A
 * checker that throws contributes {@code unknown} with its error; the others still run.
 */
public final class Checkers {
  /** The counterexample page written into a run directory when the history is not linearizable. */
  public static final String LINEAR_HTML = "linear.html";

  private Checkers() {}

  /** Every checker, linearizability with {@code options}. */
  public static List<Checker> standard(LinearOptions options) {
    return List.of(
        new LinearizabilityChecker(options),
        new DuplicateOutputChecker(),
        new DivergenceChecker(),
        new SplitBrainChecker(),
        new StatsChecker());
  }

  /** Runs {@code checkers} on {@code input}, each guarded, in order. */
  public static Summary run(CheckInput input, List<Checker> checkers) {
    List<Result> results = new ArrayList<>();
    Counterexample counterexample = null;
    Verdict verdict = Verdict.TRUE;
    for (Checker checker : checkers) {
      Result result;
      try {
        if (checker instanceof LinearizabilityChecker linear) {
          LinearReport report = linear.analyze(input.history());
          result = report.result();
          counterexample = report.counterexample();
        } else {
          result = checker.check(input);
        }
      } catch (RuntimeException | StackOverflowError e) {
        result = Result.unknown(checker.name(), "checker failed: " + e);
      }
      results.add(result);
      verdict = verdict.merge(result.verdict());
    }
    return new Summary(verdict, results, counterexample, List.of());
  }

  /**
   * Reads a run directory's history and node event logs, runs every checker, and writes {@code
   * results.json}, {@code results.edn} and, for a non-linearizable history, {@code linear.html}
   * back into it.
   *
   * @throws IOException when the directory or a file in it cannot be read or written; malformed
   *     content is a {@link dev.lockstep.histories.HistoryFormatException} naming file, line, column
   */
  public static Summary checkRunDirectory(Path dir, LinearOptions options, HistoryOrder order) throws IOException {
    RunDirectory run = RunDirectory.open(dir);
    List<NodeEvent> events = new ArrayList<>();
    List<Path> notes = new ArrayList<>();
    List<String> torn = new ArrayList<>();
    for (String node : run.nodeIds()) {
      Path log = run.nodeEvents(node);
      notes.add(log.resolveSibling(Reproduced.NOTES_JSONL));
      if (Files.isRegularFile(log)) {
        // TRICKY: a node killed mid-write leaves a torn last line; the event it was writing is lost.
        NodeEventReader.Log read = NodeEventReader.readTolerant(log);
        events.addAll(read.events());
        if (read.tornTail()) {
          torn.add(node);
        }
      }
    }
    List<Checker> checkers = new ArrayList<>(standard(options));
    checkers.add(OutputContinuityChecker.fromNotes(notes));
    Summary checked = run(new CheckInput(order.apply(run.readHistory()), events), checkers);
    Summary summary = new Summary(checked.verdict(), checked.results(), checked.counterexample(), torn);
    Files.writeString(run.resultsJson(), ResultFiles.json(summary.toMap()), StandardCharsets.UTF_8);
    Files.writeString(run.resultsEdn(), ResultFiles.edn(summary.toMap()), StandardCharsets.UTF_8);
    Path html = run.path().resolve(LINEAR_HTML);
    if (summary.counterexample() != null) {
      Files.writeString(html, CounterexampleHtml.render(summary.counterexample()), StandardCharsets.UTF_8);
    } else {
      Files.deleteIfExists(html);
    }
    return summary;
  }
}
