package dev.lockstep.checkers.cli;

import dev.lockstep.checkers.Checkers;
import dev.lockstep.checkers.HistoryOrder;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.ResultFiles;
import dev.lockstep.checkers.Summary;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.checkers.api.CheckReport;
import dev.lockstep.checkers.api.HistoryCheck;
import dev.lockstep.checkers.linear.LinearOptions;
import dev.lockstep.checkers.linear.LinearizabilityChecker;
import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code lockstep check} does once its arguments are parsed, whichever parser filled them:
 * checks each path, prints one verdict (one path) or one line per path, writes the JUnit report,
 * and returns the exit code: 0 all valid, 1 any invalid, 2 any unknown and none invalid, 254 any
 * path unreadable or not fitting the model (an {@code f} the model does not know, a malformed
 * value).
 */
final class CheckRun {
  static final int EXIT_USAGE = 254;
  private static final double NANOS_PER_S = 1e9;

  private final CheckArgs args;
  private final PrintWriter out;
  private final PrintWriter err;

  CheckRun(CheckArgs args, PrintWriter out, PrintWriter err) {
    this.args = args;
    this.out = out;
    this.err = err;
  }

  /** Runs the check; {@code args} must have passed {@link CheckArgs#validate()}. */
  int run() {
    if (args.follow) {
      return new FollowCheck(args, out, err).run();
    }
    Verdict merged = Verdict.TRUE;
    boolean badInput = false;
    List<JunitXml.Case> cases = new ArrayList<>();
    boolean many = args.paths.size() > 1;
    for (Path path : args.paths) {
      long start = System.nanoTime();
      Summary summary;
      try {
        summary = checkPath(path);
      } catch (IOException e) {
        badInput = true;
        String message = message(path, e);
        err.println("lockstep check: " + message);
        cases.add(new JunitXml.Case(path.toString(), "error", "unreadable", message, seconds(start)));
        if (many) {
          out.println(path + "\terror");
        }
        continue;
      }
      Result inputError = summary.results().stream().filter(LinearizabilityChecker::isBadInput).findFirst().orElse(null);
      if (inputError != null) {
        badInput = true;
        String message = path + ": " + inputError.evidence().get("reason");
        err.println("lockstep check: " + message);
        cases.add(new JunitXml.Case(path.toString(), "error", "bad input", message, seconds(start)));
        if (many) {
          out.println(path + "\terror");
        }
        continue;
      }
      merged = merged.merge(summary.verdict());
      cases.add(junitCase(path, summary, seconds(start)));
      if (many) {
        out.println(path + "\t" + summary.verdict().label());
      } else {
        printDetail(summary);
      }
    }
    out.flush();
    if (args.junitXml != null) {
      try {
        JunitXml.write(args.junitXml, cases);
      } catch (IOException e) {
        err.println("lockstep check: --junit-xml " + args.junitXml + ": cannot write: " + e.getMessage());
        badInput = true;
      }
    }
    err.flush();
    return badInput ? EXIT_USAGE : merged.exitCode();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / NANOS_PER_S;
  }

  private static JunitXml.Case junitCase(Path path, Summary summary, double seconds) {
    String verdict = summary.verdict().label();
    StringBuilder text = new StringBuilder();
    String message = verdict;
    for (Result r : summary.results()) {
      if (r.verdict() != Verdict.TRUE) {
        Object reason = r.evidence().get("reason");
        message = r.checker() + ": " + r.verdict().label() + (reason == null ? "" : " (" + reason + ")");
        break;
      }
    }
    if (summary.counterexample() != null) {
      text.append(summary.counterexample().text());
    } else {
      text.append(ResultFiles.json(summary.toMap()));
    }
    return new JunitXml.Case(path.toString(), verdict, message, text.toString(), seconds);
  }

  static String message(Path path, IOException e) {
    if (e instanceof HistoryFormatException) {
      return e.getMessage();
    }
    return path + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  private Summary checkPath(Path path) throws IOException {
    HistoryOrder order = args.order();
    if (Files.isDirectory(path)) {
      if (!RunDirectory.isRunDirectory(path)) {
        throw new HistoryFormatException(path.toString(), "a directory, but not a run directory (no history.jsonl, history.edn or test.json)");
      }
      LinearOptions options = LinearOptions.of(args.model(), System::nanoTime)
          .withInit(args.init())
          .withKnossosNil(args.knossosNil)
          .withTimeLimit(args.timeLimit());
      return Checkers.checkRunDirectory(path, options, order);
    }
    if (!Files.exists(path)) {
      throw new HistoryFormatException(path.toString(), "no such file or directory");
    }
    HistoryCheck check = HistoryCheck.of(path)
        .format(args.format())
        .model(args.model())
        .init(args.init())
        .knossosNil(args.knossosNil)
        .order(order)
        .timeLimit(args.timeLimit());
    CheckReport report = check.run();
    return new Summary(report.verdict(), List.of(report.result()), report.counterexample());
  }

  private void printDetail(Summary summary) {
    out.println(summary.verdict().label());
    if (summary.counterexample() != null) {
      out.print(summary.counterexample().text());
    }
    out.print(ResultFiles.json(summary.toMap()));
  }
}
