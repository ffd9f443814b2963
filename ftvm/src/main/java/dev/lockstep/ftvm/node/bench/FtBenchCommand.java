package dev.lockstep.ftvm.node.bench;

import dev.lockstep.ftvm.node.NodeExit;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockstep bench ft}: prints the FT figures as {@code name=value} lines. */
@Command(name = "ft", mixinStandardHelpOptions = true,
    description = "FT figures of the kv guest (journaling to a shared disk, as in lockstep test): throughput with/without a backup (primary on a cpu of its own, "
        + "as the paper's separate hosts, and on shared cpus), output-rule latency, "
        + "failover time (kill -9 of the primary), logging-channel bytes, backup lag.")
public final class FtBenchCommand implements Callable<Integer> {

  @Option(names = "--clients", defaultValue = "256",
      description = "Closed-loop clients of the throughput phase, multiplexed on one thread (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--warmup-s", defaultValue = "20",
      description = "Seconds of alternating load on both clusters before measuring (default ${DEFAULT-VALUE}).")
  int warmupS;

  @Option(names = "--seconds", defaultValue = "10",
      description = "Seconds measured per cluster and cpu layout, with and without a backup (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--rounds", defaultValue = "4",
      description = "Alternations of the two clusters the measured seconds are cut into (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--failovers", defaultValue = "10", description = "Failovers to time (default ${DEFAULT-VALUE}).")
  int failovers;

  @Option(names = "--work", defaultValue = "target/bench-ft",
      description = "Work directory; each run uses a subdirectory of it (default ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--keep-work",
      description = "Keep the run's node logs after a successful run (several GB: every node logs every event).")
  boolean keepWork;

  @Option(names = "--no-tls", description = "Skip the TLS phase (the same figures, prefixed tls_, with TLS on every node and client).")
  boolean noTls;

  @Override
  public Integer call() throws Exception {
    // the figures and the progress lines are the output; the ZooKeeper client's chatter is not
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.zookeeper", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.curator", "warn");
    if (clients < 1 || seconds < 1 || warmupS < 0 || rounds < 1 || failovers < 1) {
      System.err.println("lockstep bench ft: --clients, --seconds, --rounds and --failovers must be positive");
      return NodeExit.USAGE;
    }
    Path runDir = work.resolve(Long.toString(System.currentTimeMillis()));
    Map<String, String> figures;
    try {
      figures = new FtBench(new FtBench.Settings(clients, Duration.ofSeconds(warmupS), Duration.ofSeconds(seconds),
          rounds, failovers, runDir, !noTls), System.err).run();
    } catch (IOException | IllegalStateException e) {
      System.err.println("lockstep bench ft: " + e.getMessage() + " (node logs kept under " + runDir + ")");
      return NodeExit.INTERNAL;
    }
    figures.forEach((k, v) -> System.out.println(k + "=" + v));
    if (keepWork) {
      System.err.println("bench ft: node logs kept under " + runDir);
    } else {
      RunDirectory.deleteTree(runDir);
    }
    return 0;
  }

}
