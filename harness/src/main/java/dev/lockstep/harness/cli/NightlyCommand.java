package dev.lockstep.harness.cli;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.harness.runner.ClusterException;
import dev.lockstep.harness.runner.RunOutcome;
import dev.lockstep.harness.runner.Seeds;
import dev.lockstep.harness.runner.TestRunner;
import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.harness.sim.SimSettings;
import dev.lockstep.harness.store.RunStore;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.lockstep.nemesis.DurationText;
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
 * run with a fresh seed — until the duration is spent, and beside them a simulated swarm
 * ({@link NightlySwarm}): after each real run, a slice of the swarm long enough to keep its share of the
 * wall time at {@code --sim-share}; the tail too short for a real run goes to the swarm as well. Failing
 * runs of both kinds (invalid, unknown, or not run) keep their run directories in the store; valid ones
 * are deleted to bound the disk. A summary (text and JSON) with a section for each kind is rewritten after
 * every run and slice, so an interrupted night still leaves one.
 */
@Command(
    name = "nightly",
    mixinStandardHelpOptions = true,
    header = "Loop chaos tests over workloads, nemesis families and fresh seeds.",
    description = {
      "Loop over workloads x nemesis families with fresh seeds until --duration is spent; between the real runs,",
      "run slices of a simulated seed swarm (lockstep sim) for --sim-share of the wall time (and the tail too",
      "short for a real run); keep failing runs of both, write a summary with a section for each.",
      "Exit: 0 every run valid, 1 some run invalid, 2 some unknown or not run, 254 bad arguments."
    })
public final class NightlyCommand implements Callable<Integer> {

  /** A swarm slice shorter than this is not worth starting; the wall time goes to the next real run. */
  static final double SIM_SLICE_SECONDS_MIN = 5;

  @Option(names = "--duration", defaultValue = "8h", description = "How long to keep starting runs: e.g. 8h, 30m, 90s (default ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--workloads", defaultValue = "cas-register,append,kv,register", split = ",", description = "Workloads to loop over (default ${DEFAULT-VALUE}).")
  List<String> workloads;

  @Option(names = "--nemeses", defaultValue = "partition,kill,pause,slow,clock,zk,mix,catch-up,join,one-way,flaky,coordination,clock-storm", split = ",", description = "Nemesis families to loop over, one per run (default ${DEFAULT-VALUE}).")
  List<String> nemeses;

  @Option(names = "--time-limit", defaultValue = "60", description = "Seconds of load per run (default ${DEFAULT-VALUE}).")
  double timeLimit;

  @Option(names = "--seed", description = "Seed of the seed sequence (default: random, printed).")
  Long seed;

  @Option(names = "--store", defaultValue = "store/nightly", description = "Where runs and the summary go (default ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--keep-valid", description = "Keep the run directories of valid runs too.")
  boolean keepValid;

  @Option(names = "--no-sim", description = "Run no simulated swarm: real chaos runs only.")
  boolean noSim;

  @Option(names = "--sim-share", defaultValue = "0.5", description = "Share of the wall time the simulated swarm gets, in (0, 1]; 1 runs only the swarm (default ${DEFAULT-VALUE}).")
  double simShare;

  @Option(names = "--sim-time-limit", defaultValue = "30", description = "Simulated seconds of load per swarm seed (default ${DEFAULT-VALUE}).")
  double simTimeLimit;

  @Option(names = "--sim-jobs", description = "Threads of the swarm (default: the available processors; no real run goes on meanwhile).")
  Integer simJobs;

  private NightlySwarm swarm;
  private final NightlyFamilies families = new NightlyFamilies();

  @Override
  public Integer call() {
    Quiet.libraries();
    Duration budget;
    long root = seed != null ? seed : new SplittableRandom().nextLong() >>> 1;
    try {
      budget = parseDuration(duration);
      for (String w : workloads) {
        for (String n : nemeses) {
          base(w, n, 0).validate();
        }
      }
      if (!noSim) {
        swarm = swarm(root);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("lockstep nightly: " + e.getMessage());
      return LockstepCli.EXIT_USAGE;
    }
    if (swarm != null) {
      Quiet.simulatedNodes();
    }
    System.out.println("nightly: seed " + root + ", duration " + duration + ", store " + store
        + (swarm == null ? ", no sim" : ", sim share " + SimSettings.number(simShare)));
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

  private NightlySwarm swarm(long root) {
    if (!(simShare > 0) || simShare > 1) {
      throw new IllegalArgumentException("--sim-share: must be in (0, 1], got " + simShare + " (--no-sim turns the swarm off)");
    }
    int jobs = simJobs != null ? simJobs : Runtime.getRuntime().availableProcessors();
    if (jobs < 1 || jobs > SimCommand.JOBS_MAX) {
      throw new IllegalArgumentException("--sim-jobs: must be 1.." + SimCommand.JOBS_MAX + ", got " + jobs);
    }
    NightlySwarm s = new NightlySwarm(workloads, simTimeLimit, jobs, store, new Seeds(root).random("nightly-sim"));
    s.validate();
    return s;
  }

  private int loop(Duration budget, SplittableRandom seeds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + budget.toNanos();
    List<Map<String, Object>> runs = new ArrayList<>();
    Verdict worst = Verdict.TRUE;
    double realWallSeconds = 0;
    int i = 0;
    while (true) {
      double left = remaining(deadline);
      boolean realFits = left > timeLimit && (swarm == null || simShare < 1);
      double slice = swarm == null ? 0 : Math.min(left, realFits ? owedToSwarm(realWallSeconds) : left);
      if (slice >= SIM_SLICE_SECONDS_MIN) {
        swarm.runSlice((long) (slice * 1e9), System.out);
        worst = worst.merge(swarm.verdict());
      } else if (realFits) {
        String workload = workloads.get(i % workloads.size());
        String nemesis = nemeses.get((i / workloads.size()) % nemeses.size());
        i++;
        TestSettings settings = base(workload, nemesis, seeds.nextLong() >>> 1);
        long start = System.nanoTime();
        Map<String, Object> line = runOne(settings);
        realWallSeconds += (System.nanoTime() - start) / 1e9;
        runs.add(line);
        worst = worst.merge(Verdict.valueOf(((String) line.get("valid")).toUpperCase(Locale.ROOT)));
      } else {
        break;
      }
      writeSummary(runs);
    }
    writeSummary(runs);
    return worst.exitCode();
  }

  /** Wall seconds the swarm is behind its share, given the real runs' wall seconds so far. */
  private double owedToSwarm(double realWallSeconds) {
    return realWallSeconds * simShare / (1 - simShare) - swarm.wallSeconds();
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
      Map<String, Long> faults = NightlyFamilies.faultsApplied(o.runDirectory().resolve(RunDirectory.HISTORY_JSONL));
      line.put("faults", faults);
      families.add(settings.nemesis(), o.verdict().label(), faults);
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
    doc.put("families", families.json());
    doc.put("results", runs);
    if (swarm != null) {
      doc.put("sim", swarm.json());
    }
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
    text.append('\n').append(families.text());
    text.append('\n').append(swarm == null ? "sim swarm: off (--no-sim)\n" : swarm.text());
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
    return DurationText.parse("--duration", text);
  }


}
