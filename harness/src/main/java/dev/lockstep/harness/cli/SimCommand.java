package dev.lockstep.harness.cli;

import dev.lockstep.nemesis.DurationText;
import dev.lockstep.harness.runner.ClusterException;
import dev.lockstep.harness.sim.SimOutcome;
import dev.lockstep.harness.sim.SimRunner;
import dev.lockstep.harness.sim.SimSettings;
import dev.lockstep.harness.sim.SimSwarm;
import dev.lockstep.harness.runner.TestSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockstep sim}: one seed, or a swarm of seeds, of the cluster simulated in virtual time. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    header = "Run the cluster in deterministic simulation: one seed, or a swarm of seeds.",
    description = {
      "Runs the workload, nemesis, checkers and reports of 'lockstep test' against a simulated cluster in",
      "virtual time on one thread; the fault mix, rate and concurrency are drawn from the seed, so",
      "'lockstep sim --seed S' reproduces a run byte for byte. With --seeds or --duration it runs a swarm",
      "of seeds (S, S+1, ...), keeps only the runs that did not pass, and prints a summary; with --until-fail",
      "it starts no seed after the first one a checker judged false.",
      "Exit: 0 valid, 1 invalid, 2 unknown, 3 the cluster could not be run, 254 bad arguments."
    })
public final class SimCommand implements Callable<Integer> {

  /** Threads of a swarm at most. */
  public static final int JOBS_MAX = 256;

  private static final Pattern SHARD = Pattern.compile("(\\d+)/(\\d+)");

  @Option(names = "--seed", description = "The run's seed; a swarm's first seed (default: drawn at random and printed).")
  Long seed;

  @Option(names = "--workload", defaultValue = SimSettings.DEFAULT_WORKLOAD, description = "register, cas-register, kv or append (default ${DEFAULT-VALUE}).")
  String workload;

  @Option(names = "--time-limit", defaultValue = "30", description = "Simulated seconds of client load per seed (default ${DEFAULT-VALUE}).")
  double timeLimit;

  @Option(names = "--unsafe", description = "Plant a known bug (repeatable): skip-output-rule, no-golive-lock, backup-own-clock, late-timer, ack-before-write, no-dedup.")
  List<String> unsafe = new ArrayList<>();

  @Option(names = "--mips", defaultValue = "" + SimSettings.DEFAULT_MIPS, description = "How fast each node executes"
      + " guest instructions, in millions per simulated second (default ${DEFAULT-VALUE}): sets the backup's lag,"
      + " flow control and timeouts against the guest's work; the slow fault lowers it per node.")
  long mips;

  @Option(names = "--disk", defaultValue = SimSettings.DEFAULT_DISK, description = "The nodes' disks: none, shared"
      + " (one for the cluster; the primary's writes wait for the output rule) or local (one per node; the backup"
      + " executes the writes it replays and a joining backup gets a copy), each request taking 50 us to 1 ms"
      + " of simulated time (default ${DEFAULT-VALUE}). The kv and append guests journal every write to it.")
  String disk;

  @Option(names = "--store", defaultValue = TestSettings.DEFAULT_STORE, description = "Directory for run directories (default ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--seeds", description = "Swarm: run this many seeds (across all shards).")
  Long seeds;

  @Option(names = "--duration", description = "Swarm: start seeds for this long in wall time (90s, 10m, 2h).")
  String duration;

  @Option(names = "--jobs", defaultValue = "1", description = "Swarm: runs at a time, one thread each (default ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--shard", description = "Swarm: run only indices i with i mod N = I (I/N, 0 <= I < N; give every shard the same --seed).")
  String shard;

  @Option(names = "--until-fail", description = "Swarm: start no seed once a checker judged one false (the runs in flight finish); crashed, not-run and undecided seeds do not stop it.")
  boolean untilFail;

  @Override
  public Integer call() {
    Quiet.libraries();
    Quiet.simulatedNodes();
    SimSettings settings;
    Long durationNanos;
    int[] shardParts;
    try {
      long s = seed != null ? seed : new SplittableRandom().nextLong() >>> 1;
      settings = new SimSettings(workload, s, timeLimit, List.copyOf(unsafe), store, mips, disk).validate();
      durationNanos = duration == null ? null : parseDuration(duration);
      shardParts = shard == null ? new int[] {0, 1} : parseShard(shard);
      checkSwarmOptions();
    } catch (IllegalArgumentException e) {
      System.err.println("lockstep sim: " + e.getMessage());
      return LockstepCli.EXIT_USAGE;
    }
    if (seeds == null && durationNanos == null) {
      return runOne(settings);
    }
    return swarm(settings, durationNanos, shardParts);
  }

  private void checkSwarmOptions() {
    if (seeds != null && seeds < 1) {
      throw new IllegalArgumentException("--seeds: must be at least 1, got " + seeds);
    }
    if (jobs < 1 || jobs > JOBS_MAX) {
      throw new IllegalArgumentException("--jobs: must be 1.." + JOBS_MAX + ", got " + jobs);
    }
    boolean swarm = seeds != null || duration != null;
    if (!swarm && (shard != null || jobs != 1 || untilFail)) {
      throw new IllegalArgumentException("--jobs, --shard and --until-fail belong to a swarm: add --seeds N or --duration D");
    }
  }

  static long parseDuration(String text) {
    return DurationText.parse("--duration", text).toNanos();
  }


  static int[] parseShard(String text) {
    Matcher m = SHARD.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("--shard: '" + text + "' is not I/N (for example 0/4)");
    }
    int i;
    int n;
    try {
      i = Integer.parseInt(m.group(1));
      n = Integer.parseInt(m.group(2));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--shard: '" + text + "' is out of range");
    }
    if (n < 1 || i >= n) {
      throw new IllegalArgumentException("--shard: I/N needs 0 <= I < N, got " + text);
    }
    return new int[] {i, n};
  }

  private static int runOne(SimSettings settings) {
    try {
      SimOutcome o = new SimRunner(System.out, true).run(settings, Path.of(settings.store()));
      return o.exitCode();
    } catch (ClusterException e) {
      System.err.println("lockstep sim: the simulated cluster could not be run: " + e.getMessage());
      System.err.println("rerun: " + settings.command());
      return TestCommand.EXIT_NOT_RUN;
    } catch (IOException e) {
      System.err.println("lockstep sim: cannot write the run directory: " + e.getMessage());
      return TestCommand.EXIT_NOT_RUN;
    }
  }

  private int swarm(SimSettings settings, Long durationNanos, int[] shardParts) {
    System.out.printf(Locale.ROOT, "lockstep sim: swarm of %s from seed %d (%s simulated s each, workload %s%s)%n",
        seeds != null ? seeds + " seeds" : duration, settings.seed(), SimSettings.number(settings.timeLimitSeconds()),
        settings.workload(), settings.unsafe().isEmpty() ? "" : ", unsafe " + String.join(",", settings.unsafe()));
    try {
      SimSwarm swarm = new SimSwarm(settings, seeds, durationNanos, jobs, shardParts[0], shardParts[1], System.out,
          System.err, System.console() != null);
      SimSwarm.Summary s = (untilFail ? swarm.untilFirstFailure() : swarm).run();
      return s.exitCode();
    } catch (IOException e) {
      System.err.println("lockstep sim: cannot write the store: " + e.getMessage());
      return TestCommand.EXIT_NOT_RUN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("lockstep sim: interrupted");
      return TestCommand.EXIT_NOT_RUN;
    }
  }
}
