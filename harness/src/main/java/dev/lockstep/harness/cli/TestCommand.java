package dev.lockstep.harness.cli;

import dev.lockstep.harness.runner.ClusterException;
import dev.lockstep.harness.runner.RunOutcome;
import dev.lockstep.harness.runner.TestRunner;
import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.nemesis.NemesisException;
import dev.lockstep.nemesis.netns.Netns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockstep test}: one chaos test against a fresh cluster, ending in a verdict. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    header = "Run a chaos test against an FT cluster and print its verdict.",
    description = {
      "Starts ZooKeeper and an FT cluster, runs a workload against it while a nemesis injects faults through"
      + " fault proxies on every link (or, with --net netns, iptables rules in a network namespace per member),"
      + " heals everything, requires the cluster to serve again, checks the history and the node logs, and writes"
      + " a run directory with results and reports.",
      "Exit: 0 valid, 1 invalid, 2 unknown, 3 the cluster could not be run, 254 bad arguments."
    })
public final class TestCommand implements Callable<Integer> {

  /** Exit code when the test could not run at all (no verdict). */
  public static final int EXIT_NOT_RUN = 3;

  @Option(names = "--workload", defaultValue = "cas-register", description = "register, cas-register, kv or append (default ${DEFAULT-VALUE}).")
  String workload;

  @Option(names = "--nemesis", defaultValue = "partition,kill", description = {"Fault families, comma-separated: partition, kill, pause, slow, clock, zk, catch-up, join, one-way,"
      + " flaky, coordination, clock-storm, mix (all of them), attack (an outsider without the secret; never part of mix), or none (default ${DEFAULT-VALUE}). With two or more"
      + " families faults overlap (two at a time). Kills and pauses keep one copy of the state; add double-failure"
      + " to allow taking the last one. Delays and throttles act in the fault proxies (this kernel has no netem).",
      "A family may take its own pace: FAMILY[:every=DUR][:for=DUR[-DUR]], e.g. kill:every=10s:for=1s-3s"
      + " (a kill about every 10 s on a lane of its own, each lasting 1-3 s until the restart); DUR is a number"
      + " with unit ms, s or m. Without them a family shares the run's lanes and --nemesis-interval.",
      "A family's parameters may be pinned with :KEY=VALUE, e.g. partition:target=peer (only the logging"
      + " channel between the nodes, both ways), one-way:direction=acks, coordination:mode=pause-epoch."})
  String nemesis;

  @Option(names = "--time-limit", defaultValue = "30", description = "Seconds of client load (default ${DEFAULT-VALUE}).")
  double timeLimit;

  @Option(names = "--concurrency", defaultValue = "5", description = "Client processes at a time (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--rate", defaultValue = "50", description = "Ops per second across all clients (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--seed", description = "The run's seed (default: drawn at random and printed).")
  Long seed;

  @Option(names = "--zk", description = "Use this ZooKeeper ensemble (HOST:PORT,...) instead of starting one.")
  String zk;

  @Option(names = "--zk-servers", defaultValue = "1", description = "ZooKeeper servers to start (default ${DEFAULT-VALUE}).")
  int zkServers;

  @Option(names = "--nodes", defaultValue = "2", description = "FT nodes: 2 is a primary and a backup (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--unsafe", description = "Plant a known bug in every node (repeatable): skip-output-rule, no-golive-lock, backup-own-clock, late-timer, ack-before-write, no-dedup.")
  List<String> unsafe = new ArrayList<>();

  @Option(names = "--keys", defaultValue = "8", description = "Keys of the kv and append workloads (default ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--call-timeout", defaultValue = "2", description = "Seconds one client call may take before it ends info (default ${DEFAULT-VALUE}).")
  double callTimeout;

  @Option(names = "--liveness", defaultValue = "30", description = "Seconds the healed cluster has to serve again (default ${DEFAULT-VALUE}).")
  double liveness;

  @Option(names = "--nemesis-interval", defaultValue = "5", description = "Mean seconds between and during faults (default ${DEFAULT-VALUE}).")
  double nemesisInterval;

  @Option(names = "--tls", description = "TLS on the logging channel (mutual) and the client port, with a throwaway CA and certificates made for the run.")
  boolean tls;

  @Option(names = "--net", defaultValue = TestSettings.NET_PROXY, description = {
      "proxy (default): a fault proxy on every link. netns: ZooKeeper and each node in its own network namespace"
      + " with its own address, joined by veth pairs to a bridge the run makes; clients, the logging channel and"
      + " ZooKeeper use real sockets with no proxy between them, and partitions (two-way, one-way, isolating a node)"
      + " and resets are iptables rules inside the namespaces, as Jepsen makes them. Needs root. This kernel has no"
      + " netem, so under netns the slow family only pauses the backup (no delay), flaky links are refused (the op"
      + " records why), and attack, --tls and --zk need proxy. The run removes every namespace, veth, bridge and"
      + " rule it made, also on SIGINT/SIGTERM; the next netns run sweeps what a killed (SIGKILL) run left."})
  String net;

  @Option(names = "--store", defaultValue = TestSettings.DEFAULT_STORE, description = "Directory for run directories (default ${DEFAULT-VALUE}).")
  String store;

  @Override
  public Integer call() {
    Quiet.libraries();
    TestSettings settings;
    try {
      settings = settings().validate();
    } catch (IllegalArgumentException e) {
      System.err.println("lockstep test: " + e.getMessage());
      return LockstepCli.EXIT_USAGE;
    }
    return run(settings);
  }

  /** Runs validated settings and maps the outcome to the exit code; shared with rerun and nightly. */
  static int run(TestSettings settings) {
    if (settings.netns()) {
      try {
        Netns.requireUsable();
      } catch (NemesisException e) {
        System.err.println("lockstep test: " + e.getMessage());
        return EXIT_NOT_RUN;
      }
    }
    try {
      RunOutcome outcome = new TestRunner(System.out, System.err, System.console() != null).run(settings);
      return outcome.exitCode();
    } catch (ClusterException e) {
      System.err.println("lockstep test: the cluster could not be run: " + e.getMessage());
      System.err.println("rerun: " + settings.command());
      return EXIT_NOT_RUN;
    } catch (IOException e) {
      System.err.println("lockstep test: cannot write the run directory: " + e.getMessage());
      return EXIT_NOT_RUN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("lockstep test: interrupted");
      return EXIT_NOT_RUN;
    }
  }

  TestSettings settings() {
    List<String> families = nemesis.isBlank() || nemesis.trim().equals("none")
        ? List.of() : Arrays.stream(nemesis.split(",")).map(String::trim).distinct().toList();
    long s = seed != null ? seed : new java.util.SplittableRandom().nextLong() >>> 1;
    return new TestSettings(workload, families, timeLimit, concurrency, rate, s, zk, zkServers, nodes,
        List.copyOf(unsafe), keys, callTimeout, liveness, nemesisInterval, store).withTls(tls).withNet(net);
  }
}
