package dev.lockstep.harness.runner;

import dev.lockstep.nemesis.schedule.Family;
import dev.lockstep.nemesis.schedule.FamilyEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything that defines a test run; written to {@code test.json} so {@code lockstep rerun} can run it
 * again. Two runs with equal settings draw the same generator and nemesis choices (timing aside).
 *
 * @param workload register, cas-register, kv or append
 * @param nemesis fault families ({@code partition}, {@code kill}, ...); empty for none
 * @param timeLimitSeconds how long clients run
 * @param concurrency worker threads
 * @param rate ops per second across all workers
 * @param seed the run's one seed
 * @param zk an existing ZooKeeper ensemble to use instead of starting one, or null
 * @param zkServers ZooKeeper servers to start when {@code zk} is null (1 or 3)
 * @param nodes FT nodes (2: a primary and a backup)
 * @param unsafe planted bugs passed to every node
 * @param keyCount keys of the kv and append workloads
 * @param callTimeoutSeconds how long one client call may take before it ends info
 * @param livenessSeconds how long the healed cluster has to serve again
 * @param nemesisIntervalSeconds mean time between nemesis actions
 * @param store directory under which run directories are created
 * @param tls TLS on the logging channel and the client port, with a throwaway CA made for the run
 * @param net {@code proxy} (a fault proxy on every link) or {@code netns} (a network namespace per
 *     member, iptables rules for faults)
 */
public record TestSettings(
    String workload,
    List<String> nemesis,
    double timeLimitSeconds,
    int concurrency,
    double rate,
    long seed,
    String zk,
    int zkServers,
    int nodes,
    List<String> unsafe,
    int keyCount,
    double callTimeoutSeconds,
    double livenessSeconds,
    double nemesisIntervalSeconds,
    String store,
    boolean tls,
    String net) {

  public static final String DEFAULT_STORE = "store";
  /** Fault proxies on every link: the default, needs no privileges. */
  public static final String NET_PROXY = "proxy";
  /** A network namespace per member and iptables rules for faults: needs root. */
  public static final String NET_NETNS = "netns";
  /** Families that need the fault proxy. */
  static final List<String> PROXY_ONLY_FAMILIES = List.of("attack");

  /** Settings without TLS. */
  public TestSettings(String workload, List<String> nemesis, double timeLimitSeconds, int concurrency, double rate,
      long seed, String zk, int zkServers, int nodes, List<String> unsafe, int keyCount, double callTimeoutSeconds,
      double livenessSeconds, double nemesisIntervalSeconds, String store) {
    this(workload, nemesis, timeLimitSeconds, concurrency, rate, seed, zk, zkServers, nodes, unsafe, keyCount,
        callTimeoutSeconds, livenessSeconds, nemesisIntervalSeconds, store, false, NET_PROXY);
  }

  /** The same settings with TLS on or off. */
  public TestSettings withTls(boolean on) {
    return new TestSettings(workload, nemesis, timeLimitSeconds, concurrency, rate, seed, zk, zkServers, nodes,
        unsafe, keyCount, callTimeoutSeconds, livenessSeconds, nemesisIntervalSeconds, store, on, net);
  }

  /** The same settings on another network ({@link #NET_PROXY} or {@link #NET_NETNS}). */
  public TestSettings withNet(String newNet) {
    return new TestSettings(workload, nemesis, timeLimitSeconds, concurrency, rate, seed, zk, zkServers, nodes,
        unsafe, keyCount, callTimeoutSeconds, livenessSeconds, nemesisIntervalSeconds, store, tls, newNet);
  }

  /** True when members live in network namespaces and faults are iptables rules. */
  public boolean netns() {
    return NET_NETNS.equals(net);
  }

  public TestSettings {
    Objects.requireNonNull(workload, "workload");
    nemesis = List.copyOf(nemesis == null ? List.of() : nemesis);
    unsafe = List.copyOf(unsafe == null ? List.of() : unsafe);
    store = store == null ? DEFAULT_STORE : store;
    net = net == null ? NET_PROXY : net;
  }

  /** Nemesis fault families a test may name. */
  public static final List<String> FAMILIES = List.of("partition", "kill", "pause", "slow", "clock", "zk", "mix",
      "catch-up", "join", "one-way", "flaky", "coordination", "clock-storm", "double-failure", "attack");
  /** Bugs a node can plant (see {@code lockstep node --unsafe}). */
  public static final List<String> BUGS =
      List.of("skip-output-rule", "no-golive-lock", "backup-own-clock", "late-timer", "ack-before-write", "no-dedup");
  /** Worker threads at most. */
  public static final int CONCURRENCY_MAX = 256;

  /**
   * Checks every field; throws {@link IllegalArgumentException} whose message names the first bad
   * setting and what is allowed.
   */
  public TestSettings validate() {
    require(dev.lockstep.harness.workload.Workloads.NAMES.contains(workload),
        "--workload: unknown '" + workload + "' (" + String.join(", ", dev.lockstep.harness.workload.Workloads.NAMES) + ")");
    for (String entry : nemesis) {
      String family = entry.split(":", 2)[0].trim();
      require(FAMILIES.contains(family), "--nemesis: unknown family '" + family + "' (" + String.join(", ", FAMILIES) + ", none)");
      FamilyEntry.parse(entry); // its every= and for= settings; throws naming the entry
    }
    require(timeLimitSeconds > 0, "--time-limit: must be positive, got " + number(timeLimitSeconds));
    require(concurrency >= 1 && concurrency <= CONCURRENCY_MAX, "--concurrency: must be 1.." + CONCURRENCY_MAX + ", got " + concurrency);
    require(rate > 0, "--rate: must be positive, got " + number(rate));
    require(zkServers == 1 || zkServers == 3, "--zk-servers: must be 1 or 3, got " + zkServers);
    require(nodes >= 1 && nodes <= 2, "--nodes: must be 1 or 2, got " + nodes);
    for (String bug : unsafe) {
      require(BUGS.contains(bug), "--unsafe: unknown bug '" + bug + "' (" + String.join(", ", BUGS) + ")");
    }
    require(keyCount >= 1, "--keys: must be positive, got " + keyCount);
    require(callTimeoutSeconds > 0, "--call-timeout: must be positive");
    require(livenessSeconds > 0, "--liveness: must be positive");
    require(nemesisIntervalSeconds > 0, "--nemesis-interval: must be positive");
    require(net.equals(NET_PROXY) || net.equals(NET_NETNS), "--net: must be proxy or netns, got '" + net + "'");
    if (netns()) {
      require(zk == null, "--net netns starts its own ZooKeeper in a namespace; --zk is for --net proxy");
      require(!tls, "--tls needs --net proxy (the run's certificates name 127.0.0.1)");
      for (Family family : families()) {
        require(!PROXY_ONLY_FAMILIES.contains(family.label()), "--nemesis " + family + " needs --net proxy (it taps the fault proxies)");
      }
    }
    return this;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Sensible defaults: about a minute all told on a small machine. */
  public static TestSettings defaults() {
    return new TestSettings("cas-register", List.of("partition", "kill"), 30, 5, 50, 1, null, 1, 2, List.of(), 8,
        2.0, 30, 5, DEFAULT_STORE);
  }

  /** The fault families named in {@link #nemesis}, without their paces. */
  public List<Family> families() {
    return nemesis.stream().map(e -> FamilyEntry.parse(e).family()).distinct().toList();
  }

  /** The name of the test: its workload and nemesis families, as the run directory is named. */
  public String testName() {
    // a pace such as kill:every=10s names the directory kill-every10s
    String faults = nemesis.isEmpty() ? "none" : String.join("_", nemesis).replace(":", "-").replace("=", "");
    String bugs = unsafe.isEmpty() ? "" : "-unsafe-" + String.join("_", unsafe);
    return workload + "-" + faults + bugs;
  }

  /** The exact {@code bin/lockstep test ...} command that runs these settings again. */
  public String command() {
    List<String> args = new ArrayList<>(List.of("bin/lockstep", "test",
        "--workload", workload,
        "--nemesis", nemesis.isEmpty() ? "none" : String.join(",", nemesis),
        "--time-limit", number(timeLimitSeconds),
        "--concurrency", Integer.toString(concurrency),
        "--rate", number(rate),
        "--seed", Long.toString(seed)));
    if (zk != null) {
      args.addAll(List.of("--zk", zk));
    } else if (zkServers != 1) {
      args.addAll(List.of("--zk-servers", Integer.toString(zkServers)));
    }
    if (nodes != 2) {
      args.addAll(List.of("--nodes", Integer.toString(nodes)));
    }
    for (String bug : unsafe) {
      args.addAll(List.of("--unsafe", bug));
    }
    TestSettings d = defaults();
    if (keyCount != d.keyCount) {
      args.addAll(List.of("--keys", Integer.toString(keyCount)));
    }
    if (callTimeoutSeconds != d.callTimeoutSeconds) {
      args.addAll(List.of("--call-timeout", number(callTimeoutSeconds)));
    }
    if (livenessSeconds != d.livenessSeconds) {
      args.addAll(List.of("--liveness", number(livenessSeconds)));
    }
    if (nemesisIntervalSeconds != d.nemesisIntervalSeconds) {
      args.addAll(List.of("--nemesis-interval", number(nemesisIntervalSeconds)));
    }
    if (!DEFAULT_STORE.equals(store)) {
      args.addAll(List.of("--store", store));
    }
    if (tls) {
      args.add("--tls");
    }
    if (netns()) {
      args.addAll(List.of("--net", net));
    }
    return String.join(" ", args.stream().map(TestSettings::quote).toList());
  }

  public TestSettings withSeed(long newSeed) {
    return new TestSettings(workload, nemesis, timeLimitSeconds, concurrency, rate, newSeed, zk, zkServers, nodes,
        unsafe, keyCount, callTimeoutSeconds, livenessSeconds, nemesisIntervalSeconds, store, tls, net);
  }

  public TestSettings withStore(String newStore) {
    return new TestSettings(workload, nemesis, timeLimitSeconds, concurrency, rate, seed, zk, zkServers, nodes,
        unsafe, keyCount, callTimeoutSeconds, livenessSeconds, nemesisIntervalSeconds, newStore, tls, net);
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }

  private static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_./:,=+@-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}
