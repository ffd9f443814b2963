package dev.lockstep.harness.sim;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.harness.runner.ClusterException;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A swarm of simulated runs: the seeds {@code base + i} for the indices {@code i} of this shard
 * ({@code i mod shardCount == shardIndex}), up to {@code seeds} of them or until the wall-clock
 * {@code durationNanos} is spent, on {@code jobs} threads, each run with its own Sim and nothing shared.
 * Each seed draws its own fault mix ({@link SimMix}). Runs are written to a scratch directory; only a run
 * that failed, could not decide, or crashed is moved into the store. A progress line goes to {@code err};
 * every failure with its reproduce command, then the summary, to {@code out}. In the mode
 * {@link #untilFirstFailure()} no seed starts once a checker has judged one false (the runs in flight still
 * finish and are counted), which is how a bug hunt or a benchmark measures the time to a find.
 */
public final class SimSwarm {

  /** Plain (non-terminal) progress lines at most this often. */
  public static final long PLAIN_PROGRESS_NANOS = 10_000_000_000L;
  /** Pseudo-checker under which a run that could not start its cluster is listed. */
  public static final String NOT_RUN = "not-run";
  /** Pseudo-checker under which a run that threw is listed: a bug of the simulator or harness. */
  public static final String CRASHED = "crashed";

  /** What became of one seed. */
  public record SeedResult(long seed, String command, String verdict, List<String> checkers, Path runDirectory,
      double simSeconds, String error) {}

  /**
   * The swarm's end: every seed not valid, and figures.
   *
   * @param firstFailureWallSeconds wall seconds from the swarm's start until the first seed that a checker
   *     judged false was recorded, or null when none was: a crash or a cluster that could not run is listed
   *     among the failed seeds but is no finding about the system under test, an undecided seed neither
   */
  public record Summary(long seedsRun, double simSeconds, List<SeedResult> failed, List<SeedResult> unknown,
      double wallSeconds, Double firstFailureWallSeconds) {
    /** 1 when any seed failed, else 2 when any could not be decided, else 0. */
    public int exitCode() {
      return !failed.isEmpty() ? 1 : !unknown.isEmpty() ? 2 : 0;
    }
  }

  private final SimSettings base;
  private final Long seeds;
  private final Long durationNanos;
  private final int jobs;
  private final int shardIndex;
  private final int shardCount;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;
  private final AtomicLong nextIndex = new AtomicLong();
  private boolean untilFail;
  /** Set by the job that records the first finding in {@link #untilFirstFailure()} mode; read by every job. */
  private volatile boolean stopped;
  private Double firstFailureWallSeconds;
  private final List<SeedResult> failed = new ArrayList<>();
  private final List<SeedResult> unknown = new ArrayList<>();
  private long seedsRun;
  private double simSeconds;
  private long startNanos;
  private long lastPlainNanos;

  /**
   * @param base the settings of every run; its seed is the swarm's first
   * @param seeds how many indices the whole swarm (all shards) covers, or null for no bound
   * @param durationNanos wall time after which no new seed starts, or null for no bound
   */
  public SimSwarm(SimSettings base, Long seeds, Long durationNanos, int jobs, int shardIndex, int shardCount,
      PrintStream out, PrintStream err, boolean terminal) {
    if (seeds == null && durationNanos == null) {
      throw new IllegalArgumentException("a swarm needs --seeds or --duration");
    }
    this.base = base.validate();
    this.seeds = seeds;
    this.durationNanos = durationNanos;
    this.jobs = jobs;
    this.shardIndex = shardIndex;
    this.shardCount = shardCount;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /**
   * Stops the swarm at its first finding: no seed starts after a checker judged one false, so the swarm
   * ends within one run's wall time of the find. Crashed, not-run and undecided seeds are listed as ever
   * but do not stop it: none of them says the system under test is wrong. Call before {@link #run()}.
   */
  public SimSwarm untilFirstFailure() {
    this.untilFail = true;
    return this;
  }

  public Summary run() throws InterruptedException, IOException {
    Path store = Path.of(base.store());
    Files.createDirectories(store);
    startNanos = System.nanoTime();
    lastPlainNanos = startNanos;
    List<Thread> threads = new ArrayList<>();
    for (int j = 0; j < jobs; j++) {
      Thread t = new Thread(this::work, "sim-job-" + j);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    Summary summary;
    synchronized (this) {
      if (terminal) {
        err.print("\r\033[K");
        err.flush();
      }
      summary = new Summary(seedsRun, simSeconds, sorted(failed), sorted(unknown), (System.nanoTime() - startNanos) / 1e9,
          firstFailureWallSeconds);
    }
    print(summary);
    return summary;
  }

  private void work() {
    while (!stopped) {
      long i = shardIndex + nextIndex.getAndIncrement() * shardCount;
      if (seeds != null && i >= seeds) {
        return;
      }
      if (durationNanos != null && System.nanoTime() - startNanos >= durationNanos) {
        return;
      }
      SeedResult r = runOne(base.withSeed(base.seed() + i));
      record(r);
    }
  }

  /** One seed in a scratch directory of its own; kept in the store only when it is not valid. */
  private SeedResult runOne(SimSettings settings) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory(Path.of(settings.store()), ".sim-scratch-");
      SimOutcome o;
      try {
        o = new SimRunner(new PrintStream(OutputStream.nullOutputStream()), false).passingReports(false)
            .run(settings, scratch);
      } catch (ClusterException e) {
        return keep(settings, scratch, NOT_RUN, List.of(NOT_RUN), 0, e.getMessage());
      } catch (RuntimeException | StackOverflowError e) {
        return keep(settings, scratch, CRASHED, List.of(CRASHED), 0, e.toString());
      }
      if (o.verdict() == Verdict.TRUE) {
        return new SeedResult(settings.seed(), settings.command(), o.verdict().label(), List.of(), null, o.simSeconds(), null);
      }
      List<String> checkers = o.verdict() == Verdict.FALSE ? o.failedCheckers() : o.unknownCheckers();
      return keep(settings, scratch, o.verdict().label(), checkers, o.simSeconds(), null);
    } catch (IOException e) {
      return new SeedResult(settings.seed(), settings.command(), CRASHED, List.of(CRASHED), null, 0,
          "cannot write the run directory: " + e.getMessage());
    } finally {
      if (scratch != null) {
        try {
          RunDirectory.deleteTree(scratch);
        } catch (IOException e) {
          err.println("lockstep sim: cannot delete " + scratch + ": " + e.getMessage());
        }
      }
    }
  }

  /** Moves the run under {@code scratch} into a fresh run directory of the store. */
  private SeedResult keep(SimSettings settings, Path scratch, String verdict, List<String> checkers, double simSeconds,
      String error) throws IOException {
    Path kept = null;
    Path from = findRun(scratch);
    if (from != null) {
      RunDirectory dest = RunDirectory.create(Path.of(settings.store()), from.getParent().getFileName().toString(),
          Clock.systemUTC());
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
        for (Path e : entries) {
          Files.move(e, dest.path().resolve(e.getFileName()));
        }
      }
      kept = dest.path();
    }
    return new SeedResult(settings.seed(), settings.command(), verdict, checkers, kept, simSeconds, error);
  }

  /** The one run directory {@code <scratch>/<test>/<stamp>}, or null when the run made none. */
  private static Path findRun(Path scratch) throws IOException {
    try (DirectoryStream<Path> tests = Files.newDirectoryStream(scratch)) {
      for (Path test : tests) {
        if (Files.isDirectory(test) && !Files.isSymbolicLink(test)) {
          List<RunDirectory> runs = RunDirectory.list(scratch, test.getFileName().toString());
          if (!runs.isEmpty()) {
            return runs.get(0).path();
          }
        }
      }
    }
    return null;
  }

  private synchronized void record(SeedResult r) {
    seedsRun++;
    simSeconds += r.simSeconds();
    boolean bad = !r.verdict().equals(Verdict.TRUE.label());
    if (bad) {
      boolean unknownOnly = r.verdict().equals(Verdict.UNKNOWN.label());
      (unknownOnly ? unknown : failed).add(r);
      if (r.verdict().equals(Verdict.FALSE.label()) && firstFailureWallSeconds == null) {
        firstFailureWallSeconds = (System.nanoTime() - startNanos) / 1e9;
        stopped = untilFail;
      }
      if (terminal) {
        err.print("\r\033[K");
      }
      out.println((unknownOnly ? "UNKNOWN" : "FAIL") + " seed " + r.seed() + " " + r.checkers()
          + (r.error() == null ? "" : " (" + r.error() + ")")
          + (r.runDirectory() == null ? "" : " -> " + r.runDirectory()));
      out.println("  reproduce: " + r.command());
      out.flush();
    }
    progress();
  }

  private void progress() {
    long now = System.nanoTime();
    String line = String.format(Locale.ROOT, "[%7.1fs] seeds %d  failed %d  unknown %d  simulated %.2f h  (%.0f sim s per wall s)",
        (now - startNanos) / 1e9, seedsRun, failed.size(), unknown.size(), simSeconds / 3600,
        simSeconds / Math.max(1e-9, (now - startNanos) / 1e9));
    if (terminal) {
      err.print("\r" + line + "\033[K");
      err.flush();
    } else if (now - lastPlainNanos >= PLAIN_PROGRESS_NANOS) {
      lastPlainNanos = now;
      err.println(line);
    }
  }

  private void print(Summary s) {
    out.printf(Locale.ROOT, "%nsim swarm: %d seeds run (from seed %d, shard %d/%d, %d jobs) in %.1f s wall, %.3f simulated hours%n",
        s.seedsRun(), base.seed(), shardIndex, shardCount, jobs, s.wallSeconds(), s.simSeconds() / 3600);
    if (untilFail && s.firstFailureWallSeconds() != null) {
      out.printf(Locale.ROOT, "stopped at the first failure, found after %.1f s wall%n", s.firstFailureWallSeconds());
    }
    if (s.failed().isEmpty()) {
      out.println("failures: none");
    } else {
      out.println("failures: " + s.failed().size() + " seeds");
      for (Map.Entry<String, List<SeedResult>> e : byChecker(s.failed()).entrySet()) {
        out.println("  " + e.getKey() + ": seeds " + String.join(", ", e.getValue().stream().map(r -> Long.toString(r.seed())).toList()));
        for (SeedResult r : e.getValue()) {
          out.println("    " + r.command());
        }
      }
    }
    if (!s.unknown().isEmpty()) {
      out.println("undecided: " + s.unknown().size() + " seeds");
      for (Map.Entry<String, List<SeedResult>> e : byChecker(s.unknown()).entrySet()) {
        out.println("  " + e.getKey() + ": seeds " + String.join(", ", e.getValue().stream().map(r -> Long.toString(r.seed())).toList()));
        for (SeedResult r : e.getValue()) {
          out.println("    " + r.command());
        }
      }
    }
    out.println("valid? " + (s.exitCode() == 0 ? "true" : s.exitCode() == 1 ? "false" : "unknown"));
    out.flush();
  }

  private static Map<String, List<SeedResult>> byChecker(List<SeedResult> results) {
    Map<String, List<SeedResult>> m = new TreeMap<>();
    for (SeedResult r : results) {
      for (String c : r.checkers().isEmpty() ? List.of("(none named)") : r.checkers()) {
        m.computeIfAbsent(c, k -> new ArrayList<>()).add(r);
      }
    }
    return m;
  }

  private static List<SeedResult> sorted(List<SeedResult> rs) {
    List<SeedResult> copy = new ArrayList<>(rs);
    copy.sort((a, b) -> Long.compare(a.seed(), b.seed()));
    return List.copyOf(copy);
  }
}
