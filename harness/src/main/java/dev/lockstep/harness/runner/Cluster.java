package dev.lockstep.harness.runner;

import dev.lockstep.nemesis.process.ManagedProcess;
import dev.lockstep.nemesis.proxy.FaultProxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes and proxies of one test: ZooKeeper (a {@code lockstep zk} process unless an existing
 * ensemble is given), the FT nodes ({@code lockstep node} processes) and a fault proxy on every link —
 * clients → each node's client port, node → node on the log port, each node → ZooKeeper. The first node
 * is started alone and must serve before the next one joins, so it becomes the primary.
 * {@link #close()} stops everything it started, paused or not.
 */
public final class Cluster implements AutoCloseable {

  /** Bound for ZooKeeper to accept connections. */
  public static final long ZK_START_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** Bound for the first node to serve a client. */
  public static final long PRIMARY_START_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** Bound for a joining node to become the backup. */
  public static final long BACKUP_JOIN_NANOS = TimeUnit.SECONDS.toNanos(30);

  private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

  private final String name;
  private final Path runDir;
  private final long seed;
  private final List<ManagedProcess> zkServers = new ArrayList<>();
  private final List<NodeHandle> nodes = new ArrayList<>();
  private final List<FaultProxy> proxies = new ArrayList<>();
  private String zkConnect;
  private int zkPort;

  private Cluster(String name, Path runDir, long seed) {
    this.name = name;
    this.runDir = runDir;
    this.seed = seed;
  }

  /**
   * Starts ZooKeeper (unless {@code externalZk} is set), then node {@code n1}, waits until
   * {@code serving} holds, then the other nodes, waiting until {@code backupJoined} holds.
   *
   * @param serving true once a client gets an answer through the cluster
   * @param backupJoined true once the second node acts as backup
   */
  public static Cluster start(
      String name, TestSettings settings, String guest, Path runDir, long seed,
      java.util.function.Function<Cluster, BooleanSupplier> serving,
      java.util.function.Function<Cluster, BooleanSupplier> backupJoined) throws ClusterException, InterruptedException {
    Cluster cluster = new Cluster(name, runDir, seed);
    try {
      cluster.startZooKeeper(settings.zk());
      for (int i = 1; i <= settings.nodes(); i++) {
        cluster.startNode("n" + i, guest, settings.unsafe());
        BooleanSupplier ready = i == 1 ? serving.apply(cluster) : backupJoined.apply(cluster);
        long bound = i == 1 ? PRIMARY_START_NANOS : BACKUP_JOIN_NANOS;
        if (!Ports.await(ready, bound)) {
          throw new ClusterException("node n" + i + " did not " + (i == 1 ? "serve clients" : "join as backup")
              + " within " + TimeUnit.NANOSECONDS.toSeconds(bound) + " s; see " + runDir.resolve("nodes/n" + i + "/stdout.log"));
        }
      }
      return cluster;
    } catch (ClusterException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public String name() {
    return name;
  }

  /** ZooKeeper as clients reach it (directly: the client → ZooKeeper link is not part of the test). */
  public String zkConnect() {
    return zkConnect;
  }

  public List<NodeHandle> nodes() {
    return List.copyOf(nodes);
  }

  public List<ManagedProcess> zkServers() {
    return List.copyOf(zkServers);
  }

  public List<FaultProxy> proxies() {
    return List.copyOf(proxies);
  }

  private void startZooKeeper(String externalZk) throws ClusterException, InterruptedException {
    if (externalZk != null) {
      zkConnect = externalZk;
      String first = externalZk.split(",")[0];
      zkPort = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
      return;
    }
    zkPort = Ports.free();
    Path dir = runDir.resolve("zk/zk1");
    List<String> args = List.of("zk", "--port", Integer.toString(zkPort), "--data", dir.resolve("data").toString());
    zkServers.add(ManagedProcess.start("zk1", () -> ChildJvm.launch(args, dir.resolve("stdout.log"))));
    zkConnect = Ports.HOST + ":" + zkPort;
    if (!Ports.await(() -> Ports.accepts(zkPort), ZK_START_NANOS)) {
      throw new ClusterException("ZooKeeper did not accept connections on port " + zkPort + " within "
          + TimeUnit.NANOSECONDS.toSeconds(ZK_START_NANOS) + " s; see " + dir.resolve("stdout.log"));
    }
  }

  private void startNode(String id, String guest, List<String> unsafe) {
    int clientPort = Ports.free();
    int logPort = Ports.free();
    long proxySeed = seed ^ id.hashCode();
    FaultProxy clientProxy = proxy(id + "-client", clientPort, proxySeed);
    FaultProxy logProxy = proxy(id + "-log", logPort, proxySeed + 1);
    FaultProxy zkProxy = proxy(id + "-zk", zkPort, proxySeed + 2);
    Path dataDir = runDir.resolve("nodes").resolve(id);
    NodeCommand command = new NodeCommand(id, name, Ports.HOST + ":" + zkProxy.listenAddress().getPort(), guest,
        clientPort, logPort, clientProxy.listenAddress().getPort(), logProxy.listenAddress().getPort(), dataDir, unsafe);
    ManagedProcess process = ManagedProcess.start(id, () -> ChildJvm.launch(command.args(), dataDir.resolve("stdout.log")));
    nodes.add(new NodeHandle(id, process, clientPort, logPort, clientProxy, logProxy, zkProxy, dataDir));
    LOG.debug("started node {}: {}", id, command.args());
  }

  private FaultProxy proxy(String proxyName, int targetPort, long proxySeed) {
    FaultProxy p = FaultProxy.builder(Ports.local(0), Ports.local(targetPort)).name(proxyName).seed(proxySeed).start();
    proxies.add(p);
    return p;
  }

  /** Heals every proxy and resumes every paused process (the end of the nemesis phase). */
  public void healAll() {
    proxies.forEach(FaultProxy::heal);
    for (NodeHandle n : nodes) {
      if (n.process().isPaused()) {
        n.process().resume();
      }
    }
    for (ManagedProcess zk : zkServers) {
      if (zk.isPaused()) {
        zk.resume();
      }
    }
  }

  @Override
  public void close() {
    for (NodeHandle n : nodes) {
      quietly(n.process()::close);
    }
    for (ManagedProcess zk : zkServers) {
      quietly(zk::close);
    }
    for (FaultProxy p : proxies) {
      quietly(p::close);
    }
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("while stopping the cluster: {}", e.getMessage());
    }
  }
}
