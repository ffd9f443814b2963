package dev.lockstep.harness.report;

import dev.lockstep.histories.Op;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Writes every report of a run into its directory: timeline, plots and the index that links them. */
public final class RunReports {

  public static final String TIMELINE = "timeline.html";
  public static final String LATENCY = "latency.svg";
  public static final String THROUGHPUT = "throughput.svg";
  public static final String INDEX = "index.html";

  private RunReports() {}

  /** Writes the reports and returns the path of {@code index.html}. */
  public static Path write(Path runDir, String title, List<Op> history, String verdict,
      List<IndexReport.CheckerLine> checkers, Map<String, String> settings, String rerunCommand) throws IOException {
    List<OpSpan> ops = Spans.ops(history);
    long end = Spans.end(history);
    List<FaultInterval> faults = Spans.faults(history, end);
    write(runDir.resolve(TIMELINE), TimelineReport.render(title, ops, faults, end));
    write(runDir.resolve(LATENCY), PlotReport.latency(ops, faults, end));
    write(runDir.resolve(THROUGHPUT), PlotReport.throughput(ops, faults, end));
    Map<String, String> links = new LinkedHashMap<>();
    links.put(TIMELINE, "ops per process over time, faults shaded");
    links.put(LATENCY, "latency over time");
    links.put(THROUGHPUT, "throughput over time");
    for (Path file : listing(runDir)) {
      String rel = runDir.relativize(file).toString();
      if (!links.containsKey(rel) && !rel.equals(INDEX)) {
        links.put(rel, describe(rel));
      }
    }
    Path index = runDir.resolve(INDEX);
    write(index, IndexReport.render(title, verdict, checkers, settings, rerunCommand, links, List.of(LATENCY, THROUGHPUT)));
    return index;
  }

  private static List<Path> listing(Path runDir) throws IOException {
    try (Stream<Path> files = Files.walk(runDir, 4)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static String describe(String rel) {
    if (rel.endsWith("history.jsonl") || rel.endsWith("history.edn")) {
      return "the history";
    }
    if (rel.endsWith("events.jsonl")) {
      return "a node's event log";
    }
    if (rel.endsWith("test.json")) {
      return "settings and seed";
    }
    if (rel.equals("liveness.json")) {
      return "the liveness phase after healing";
    }
    if (rel.startsWith("results")) {
      return "checker results";
    }
    if (rel.equals("linear.html")) {
      return "the linearizability counterexample";
    }
    if (rel.endsWith("nemesis.jsonl")) {
      return "the nemesis schedule";
    }
    if (rel.endsWith("notes.jsonl")) {
      return "a node's notes (snapshots, go-live, stats)";
    }
    if (rel.matches(".*replay(-[0-9]+)?\\.log")) {
      return "a node's replay log (lockstep replay)";
    }
    if (rel.endsWith(".log")) {
      return "process output";
    }
    return "";
  }

  private static void write(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
