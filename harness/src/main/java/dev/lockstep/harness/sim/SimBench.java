package dev.lockstep.harness.sim;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.ftvm.node.UnsafeBug;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * The figures of {@code lockstep bench sim}, measured with {@link SimSwarm} as a user runs it:
 * <ul>
 *   <li>{@code sim_speedup}: simulated seconds per wall second of one job, over a few seeds of the default
 *       workload with their drawn faults (simulated seconds count from the world's start: warm-up and
 *       liveness phase included, as every run has them);
 *   <li>{@code sim_seeds_per_min}: runs per wall minute on {@code jobs} threads;
 *   <li>{@code sim_find_<bug>_s} for every {@link UnsafeBug}: the median, over {@code swarms} swarms from
 *       different seed bases, of the wall seconds until a checker judges a seed of a swarm on {@code jobs}
 *       threads false (a crashed seed is told on {@code err} with its reproduce command, and is no find);
 *       a swarm that finds nothing within {@code boundSeconds} counts as the bound and as a timeout.
 * </ul>
 * Every seed base is drawn from {@link Settings#seed()}, so the same settings run the same seeds. Progress
 * goes to {@code err}; each figure goes to the sink as it is measured and all are returned in that order, names with their unit last. Runs that
 * failed in the clean phases are kept under the store (they would be findings); the hunts' runs are
 * deleted, their bugs being planted.
 */
public final class SimBench {

  /** Seeds of the speedup figure and of the throughput figure, in full and in quick mode. */
  public static final int SPEEDUP_SEEDS = 5;
  public static final int SPEEDUP_SEEDS_QUICK = 1;
  public static final int THROUGHPUT_SEEDS = 40;
  public static final int THROUGHPUT_SEEDS_PER_JOB_QUICK = 2;
  /** Seed bases are drawn below 2^62, so a base plus the seeds run from it never overflows. */
  static final long BASE_MASK = (1L << 62) - 1;

  /**
   * What the bench runs.
   *
   * @param seed the root every seed base is drawn from
   * @param timeLimitSeconds simulated seconds of load per run
   * @param jobs threads of the throughput figure and of every hunt
   * @param swarms hunts per bug
   * @param boundSeconds wall seconds a hunt may take before it counts as a timeout
   * @param quick fewer seeds in the clean figures, for a smoke test
   * @param store where the runs go
   */
  public record Settings(long seed, double timeLimitSeconds, int jobs, int swarms, double boundSeconds, boolean quick,
      String store) {

    public Settings validate() {
      if (jobs < 1 || swarms < 1 || !(boundSeconds > 0)) {
        throw new IllegalArgumentException("--jobs, --swarms and --bound-s must be positive");
      }
      new SimSettings(SimSettings.DEFAULT_WORKLOAD, seed, timeLimitSeconds, List.of(), store).validate();
      return this;
    }
  }

  private final Settings settings;
  private final PrintStream err;
  private final SplittableRandom bases;
  private final BiConsumer<String, String> sink;
  private final Map<String, String> figures = new LinkedHashMap<>();

  /**
   * @param err where progress goes
   * @param sink told each figure as soon as it is measured (a long bench that is stopped keeps its lines)
   */
  public SimBench(Settings settings, PrintStream err, BiConsumer<String, String> sink) {
    this.settings = settings.validate();
    this.err = err;
    this.sink = sink;
    this.bases = new SplittableRandom(settings.seed());
  }

  /** Runs every phase in turn and returns the figures. */
  public Map<String, String> run() throws IOException, InterruptedException {
    put("sim_bench_seed", Long.toString(settings.seed()));
    put("sim_run_sim_s", SimSettings.number(settings.timeLimitSeconds()));
    put("sim_jobs", Integer.toString(settings.jobs()));
    speedup();
    throughput();
    for (UnsafeBug bug : UnsafeBug.values()) {
      hunt(bug);
    }
    return figures;
  }

  private void speedup() throws IOException, InterruptedException {
    int n = settings.quick() ? SPEEDUP_SEEDS_QUICK : SPEEDUP_SEEDS;
    long base = nextBase();
    // One seed before the measured ones, so the figure is of the JIT-compiled simulator, not of its warm-up.
    err.println("bench sim: warm-up, seed " + (base - 1));
    clean(base - 1, 1, 1);
    err.println("bench sim: speedup, " + n + " seeds from " + base + " on 1 job");
    SimSwarm.Summary s = clean(base, n, 1);
    put("sim_speedup", format(s.simSeconds() / s.wallSeconds()));
    put("sim_speedup_seeds", seeds(base, n));
    put("sim_speedup_simulated_s", format(s.simSeconds()));
    put("sim_speedup_wall_s", format(s.wallSeconds()));
  }

  private void throughput() throws IOException, InterruptedException {
    int n = settings.quick() ? THROUGHPUT_SEEDS_PER_JOB_QUICK * settings.jobs() : THROUGHPUT_SEEDS;
    long base = nextBase();
    err.println("bench sim: throughput, " + n + " seeds from " + base + " on " + settings.jobs() + " jobs");
    SimSwarm.Summary s = clean(base, n, settings.jobs());
    put("sim_seeds_per_min", format(s.seedsRun() / (s.wallSeconds() / 60)));
    put("sim_seeds_per_min_seeds", seeds(base, n));
  }

  /** A clean swarm of {@code n} seeds from {@code base}; a failure in it is a finding, so it is kept and told. */
  private SimSwarm.Summary clean(long base, int n, int jobs) throws IOException, InterruptedException {
    SimSettings run = new SimSettings(SimSettings.DEFAULT_WORKLOAD, base, settings.timeLimitSeconds(), List.of(),
        settings.store());
    SimSwarm.Summary s = new SimSwarm(run, (long) n, null, jobs, 0, 1, quiet(), err, false).run();
    for (SimSwarm.SeedResult r : s.failed()) {
      err.println("bench sim: a clean seed FAILED " + r.checkers() + " -> " + r.runDirectory() + "; reproduce: " + r.command());
    }
    return s;
  }

  private void hunt(UnsafeBug bug) throws IOException, InterruptedException {
    String workload = workload(bug);
    String name = "sim_find_" + bug.flag().replace('-', '_');
    List<Double> seconds = new ArrayList<>();
    List<String> finders = new ArrayList<>();
    List<String> swarmBases = new ArrayList<>();
    int timeouts = 0;
    Path store = Path.of(settings.store(), "hunt-" + bug.flag());
    try {
      for (int i = 0; i < settings.swarms(); i++) {
        long base = nextBase();
        swarmBases.add(Long.toString(base));
        SimSettings run = new SimSettings(workload, base, settings.timeLimitSeconds(), List.of(bug.flag()), store.toString());
        SimSwarm.Summary s = new SimSwarm(run, null, (long) (settings.boundSeconds() * 1e9), settings.jobs(), 0, 1,
            quiet(), err, false).untilFirstFailure().run();
        for (SimSwarm.SeedResult r : s.failed()) {
          if (!r.verdict().equals(Verdict.FALSE.label())) {
            // no find, but a bug of the simulator or the harness: the seed reproduces it
            err.println("bench sim: seed " + r.seed() + " " + r.verdict().toUpperCase(Locale.ROOT) + " (" + r.error()
                + "); reproduce: " + r.command());
          }
        }
        if (s.firstFailureWallSeconds() == null) {
          timeouts++;
          seconds.add(settings.boundSeconds());
          finders.add("-");
          err.printf(Locale.ROOT, "bench sim: %s swarm %d/%d from seed %d on %s: nothing within %s s (%d seeds)%n",
              bug.flag(), i + 1, settings.swarms(), base, workload, SimSettings.number(settings.boundSeconds()), s.seedsRun());
        } else {
          SimSwarm.SeedResult first = s.failed().stream().filter(r -> r.verdict().equals(Verdict.FALSE.label()))
              .findFirst().orElseThrow();
          seconds.add(s.firstFailureWallSeconds());
          finders.add(Long.toString(first.seed()));
          err.printf(Locale.ROOT, "bench sim: %s swarm %d/%d from seed %d on %s: found by seed %d %s (%s) after %.1f s%n",
              bug.flag(), i + 1, settings.swarms(), base, workload, first.seed(), first.checkers(), first.verdict(),
              s.firstFailureWallSeconds());
        }
      }
    } finally {
      if (Files.exists(store)) {
        RunDirectory.deleteTree(store);
      }
    }
    put(name + "_s", format(median(seconds)));
    put(name + "_each_s", String.join(",", seconds.stream().map(SimBench::format).toList()));
    put(name + "_timeouts", Integer.toString(timeouts));
    put(name + "_workload", workload);
    put(name + "_seed_bases", String.join(",", swarmBases));
    put(name + "_found_by_seeds", String.join(",", finders));
  }

  /**
   * The workload a hunt for {@code bug} runs: the default one, except no-dedup on append. A retry with a
   * fresh request id that takes effect twice is a second copy of an element in a list, which both the
   * linearizability and the duplicate-output checkers see; on cas-register it is mostly a write of the same
   * value or a cas that fails, which no checker can tell from one (a 20-seed swarm found nothing there,
   * the same seeds on append found it in three).
   */
  static String workload(UnsafeBug bug) {
    return bug == UnsafeBug.NO_DEDUP ? "append" : SimSettings.DEFAULT_WORKLOAD;
  }

  private void put(String name, String value) {
    figures.put(name, value);
    sink.accept(name, value);
  }

  /** The median; of an even count, the mean of the two middle values. */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("the median of no values");
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int m = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
  }

  /** A fresh seed base; bases are 62-bit draws, so two phases sharing a seed is out of the question in practice. */
  private long nextBase() {
    return (bases.nextLong() & BASE_MASK) + 1;
  }

  private static String seeds(long base, int n) {
    return n == 1 ? Long.toString(base) : base + ".." + (base + n - 1);
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static PrintStream quiet() {
    return new PrintStream(OutputStream.nullOutputStream());
  }
}
