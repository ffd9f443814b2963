package dev.lockstep.harness.sim;

import dev.lockstep.ftvm.sim.SimClusterSettings;
import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.harness.workload.Workloads;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the user chooses for one simulated run; everything else (fault mix, rates, concurrency) is drawn
 * from the seed ({@link SimMix}), so {@link #command()} reruns it exactly.
 *
 * @param workload register, cas-register, kv or append
 * @param seed the run's one seed
 * @param timeLimitSeconds simulated seconds of client load
 * @param unsafe planted bugs, as {@code lockstep test --unsafe}
 * @param store directory under which run directories are created
 * @param mips how fast a node executes guest instructions in virtual time, in millions per simulated second
 * @param disk the nodes' disks: {@code none}, {@code shared} or {@code local}, as {@code lockstep node --disk}
 */
public record SimSettings(String workload, long seed, double timeLimitSeconds, List<String> unsafe, String store,
    long mips, String disk) {

  public static final String DEFAULT_WORKLOAD = "cas-register";
  public static final double DEFAULT_TIME_LIMIT_SECONDS = 30;
  /** Longest simulated load of one run. */
  public static final double TIME_LIMIT_SECONDS_MAX = 24 * 3600;
  /** Fixed for every simulated run, as lockstep test's defaults. */
  public static final int KEY_COUNT = 8;
  public static final double CALL_TIMEOUT_SECONDS = 2.0;
  public static final double LIVENESS_SECONDS = 30;

  /** The speed of a node's guest unless {@code --mips} says otherwise (a host of about this project's interpreter). */
  public static final long DEFAULT_MIPS = SimClusterSettings.INSTRUCTIONS_PER_SECOND_DEFAULT / 1_000_000;
  public static final long MIPS_MAX = 100_000;
  /**
   * One disk for the cluster, as the paper's default arrangement (§2: primary and backup share a
   * virtual disk): the kv and append guests journal to it, so disk writes wait for the output rule and
   * a new primary reissues the request in flight.
   */
  public static final String DEFAULT_DISK = "shared";

  public SimSettings(String workload, long seed, double timeLimitSeconds, List<String> unsafe, String store) {
    this(workload, seed, timeLimitSeconds, unsafe, store, DEFAULT_MIPS, DEFAULT_DISK);
  }

  public SimSettings {
    Objects.requireNonNull(workload, "workload");
    unsafe = List.copyOf(unsafe == null ? List.of() : unsafe);
    store = store == null ? TestSettings.DEFAULT_STORE : store;
    disk = disk == null ? DEFAULT_DISK : disk;
  }

  /** The simulated disks these settings ask for. */
  public SimClusterSettings.Disk clusterDisk() {
    return SimClusterSettings.Disk.of(SimClusterSettings.DiskMode.valueOf(disk.toUpperCase(Locale.ROOT)));
  }

  /** Checks every field; the message of the exception names the first bad one and what is allowed. */
  public SimSettings validate() {
    if (!Workloads.NAMES.contains(workload)) {
      throw new IllegalArgumentException("--workload: unknown '" + workload + "' (" + String.join(", ", Workloads.NAMES) + ")");
    }
    if (!(timeLimitSeconds > 0) || timeLimitSeconds > TIME_LIMIT_SECONDS_MAX) {
      throw new IllegalArgumentException("--time-limit: must be in (0, " + number(TIME_LIMIT_SECONDS_MAX) + "] simulated seconds, got "
          + number(timeLimitSeconds));
    }
    if (mips < 1 || mips > MIPS_MAX) {
      throw new IllegalArgumentException("--mips: must be in [1, " + MIPS_MAX + "] million instructions per simulated"
          + " second, got " + mips);
    }
    if (!List.of("none", "shared", "local").contains(disk)) {
      throw new IllegalArgumentException("--disk: unknown '" + disk + "' (none, shared, local)");
    }
    for (String bug : unsafe) {
      if (!TestSettings.BUGS.contains(bug)) {
        throw new IllegalArgumentException("--unsafe: unknown bug '" + bug + "' (" + String.join(", ", TestSettings.BUGS) + ")");
      }
    }
    return this;
  }

  public SimSettings withSeed(long newSeed) {
    return new SimSettings(workload, newSeed, timeLimitSeconds, unsafe, store, mips, disk);
  }

  /** These settings with the seed's drawn mix, in the shape lockstep test records and reports. */
  public TestSettings asTestSettings(SimMix mix, int nodes) {
    return new TestSettings(workload, mix.nemesis(), timeLimitSeconds, mix.concurrency(), mix.rate(), seed, null, 1,
        nodes, unsafe, KEY_COUNT, CALL_TIMEOUT_SECONDS, LIVENESS_SECONDS, mix.nemesisIntervalSeconds(), store);
  }

  /** The run directory's test name: {@code sim-} and the workload, the drawn faults and the bugs. */
  public String testName(SimMix mix) {
    return "sim-" + asTestSettings(mix, 2).testName();
  }

  /** The exact {@code bin/lockstep sim ...} command that reruns this seed. */
  public String command() {
    List<String> args = new ArrayList<>(List.of("bin/lockstep", "sim", "--seed", Long.toString(seed),
        "--workload", workload, "--time-limit", number(timeLimitSeconds)));
    for (String bug : unsafe) {
      args.addAll(List.of("--unsafe", bug));
    }
    if (mips != DEFAULT_MIPS) {
      args.addAll(List.of("--mips", Long.toString(mips)));
    }
    if (!DEFAULT_DISK.equals(disk)) {
      args.addAll(List.of("--disk", disk));
    }
    if (!TestSettings.DEFAULT_STORE.equals(store)) {
      args.addAll(List.of("--store", store));
    }
    return String.join(" ", args.stream().map(SimSettings::quote).toList());
  }

  /** A number of seconds as the commands print and take it. */
  public static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }

  private static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_./:,=+@-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}
