package dev.lockstep.harness.cli;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.harness.runner.ClusterException;
import dev.lockstep.harness.runner.RunOutcome;
import dev.lockstep.harness.runner.TestRunner;
import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.harness.store.RunStore;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lockstep nightly}: chaos tests in a loop — every workload against every nemesis family, each
 * run with a fresh seed — until the duration is spent. Failing runs (invalid, unknown, or not run) keep
 * their run directories; valid ones are deleted to bound the disk. A summary (text and JSON) is rewritten
 * after every run, so an interrupted night still leaves one.
 */
@Command(
    name = "nightly",
    mixinStandardHelpOptions = true,
    header = "Loop chaos tests over workloads, nemesis families and fresh seeds.",
    description = {
      "Loop over workloads x nemesis families with fresh seeds until --duration is spent; keep failing runs,",
      "write a summary. Exit: 0 every run valid, 1 some run invalid, 2 some unknown or not run, 254 bad arguments."
    })
public final class NightlyCommand implements Callable<Integer> {

  @Option(names = "--duration", defaultValue = "8h", description = "How long to keep starting runs: e.g. 8h, 30m, 90s (default ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--workloads", defaultValue = "cas-register,append,kv,register", split = ",", description = "Workloads to loop over (default ${DEFAULT-VALUE}).")
  List<String> workloads;

  @Option(names = "--nemeses", defaultValue = "partition,kill,pause,slow,clock,zk,mix", split = ",", description = "Nemesis families to loop over, one per run (default ${DEFAULT-VALUE}).")
  List<String> nemeses;

  @Option(names = "--time-limit", defaultValue = "60", description = "Seconds of load per run (default ${DEFAULT-VALUE}).")
  double timeLimit;

  @Option(names = "--seed", description = "Seed of the seed sequence (default: random, printed).")
  Long seed;

  @Option(names = "--store", defaultValue = "store/nightly", description = "Where runs and the summary go (default ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--keep-valid", description = "Keep the run directories of valid runs too.")
  boolean keepValid;

  @Override
  public Integer call() {
    Quiet.libraries();
    Duration budget;
    try {
      budget = parseDuration(duration);
      for (String w : workloads) {
        for (String n : nemeses) {
          base(w, n, 0).validate();
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("lockstep nightly: " + e.getMessage());
      return LockstepCli.EXIT_USAGE;
    }
    long root = seed != null ? seed : new SplittableRandom().nextLong() >>> 1;
    System.out.println("nightly: seed " + root + ", duration " + duration + ", store " + store);
    try {
      return loop(budget, new SplittableRandom(root));
    } catch (IOException e) {
      System.err.println("lockstep nightly: cannot write the summary: " + e.getMessage());
      return TestCommand.EXIT_NOT_RUN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TestCommand.EXIT_NOT_RUN;
    }
  }

  private int loop(Duration budget, SplittableRandom seeds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + budget.toNanos();
    List<Map<String, Object>> runs = new ArrayList<>();
    Verdict worst = Verdict.TRUE;
    for (int i = 0; remaining(deadline) > timeLimit; i++) {
      String workload = workloads.get(i % workloads.size());
      String nemesis = nemeses.get((i / workloads.size()) % nemeses.size());
      TestSettings settings = base(workload, nemesis, seeds.nextLong() >>> 1);
      Map<String, Object> line = runOne(settings);
      runs.add(line);
      worst = worst.merge(Verdict.valueOf(((String) line.get("valid")).toUpperCase(Locale.ROOT)));
      writeSummary(runs);
    }
    writeSummary(runs);
    return worst.exitCode();
  }

  private Map<String, Object> runOne(TestSettings settings) throws IOException, InterruptedException {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("test", settings.testName());
    line.put("seed", settings.seed());
    line.put("command", settings.command());
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    try {
      RunOutcome o = new TestRunner(quiet, quiet, false).run(settings);
      line.put("valid", o.verdict().label());
      line.put("ops", o.ops());
      if (o.verdict() == Verdict.TRUE && !keepValid) {
        RunDirectory.deleteTree(o.runDirectory());
      } else {
        line.put("run", o.runDirectory().toString());
        line.put("failing", o.results().stream().filter(r -> r.verdict() != Verdict.TRUE).map(r -> r.checker()).toList());
      }
    } catch (ClusterException e) {
      line.put("valid", "unknown");
      line.put("error", "not run: " + e.getMessage());
    }
    System.out.println(line.get("valid") + "\t" + settings.testName() + "\tseed " + settings.seed()
        + (line.containsKey("run") ? "\t" + line.get("run") : ""));
    return line;
  }

  private void writeSummary(List<Map<String, Object>> runs) throws IOException {
    Path dir = Path.of(store);
    Files.createDirectories(dir);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("runs", runs.size());
    doc.put("invalid", runs.stream().filter(r -> "false".equals(r.get("valid"))).count());
    doc.put("unknown", runs.stream().filter(r -> "unknown".equals(r.get("valid"))).count());
    doc.put("results", runs);
    RunStore.writeJson(dir.resolve("nightly-summary.json"), doc);
    StringBuilder text = new StringBuilder();
    text.append("runs=").append(runs.size()).append(" invalid=").append(doc.get("invalid"))
        .append(" unknown=").append(doc.get("unknown")).append('\n');
    for (Map<String, Object> r : runs) {
      text.append(r.get("valid")).append('\t').append(r.get("test")).append('\t').append(r.get("seed"));
      if (r.containsKey("run")) {
        text.append('\t').append(r.get("run")).append('\t').append(r.get("command"));
      }
      text.append('\n');
    }
    Files.writeString(dir.resolve("nightly-summary.txt"), text.toString(), StandardCharsets.UTF_8);
  }

  private TestSettings base(String workload, String nemesis, long runSeed) {
    TestSettings d = TestSettings.defaults();
    List<String> families = nemesis.equals("none") ? List.of() : List.of(nemesis);
    return new TestSettings(workload, families, timeLimit, d.concurrency(), d.rate(), runSeed, null, d.zkServers(),
        d.nodes(), List.of(), d.keyCount(), d.callTimeoutSeconds(), d.livenessSeconds(), d.nemesisIntervalSeconds(), store);
  }

  private static double remaining(long deadlineNanos) {
    return (deadlineNanos - System.nanoTime()) / 1e9;
  }

  /** Parses {@code 8h}, {@code 30m}, {@code 90s} or a plain number of seconds. */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("h")) {
        return Duration.ofMinutes(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
      }
      if (t.endsWith("m")) {
        return Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
      }
      if (t.endsWith("s")) {
        t = t.substring(0, t.length() - 1);
      }
      Duration d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("--duration: must be positive, got '" + text + "'");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--duration: '" + text + "' is not a duration like 8h, 30m or 90s");
    }
  }

}
