package dev.lockstep.ftvm.sim;

import dev.lockstep.ftvm.ft.BackupListener;
import dev.lockstep.ftvm.ft.ChannelSettings;
import dev.lockstep.ftvm.ft.PrimaryListener;
import dev.lockstep.ftvm.golive.PrimaryRecord;
import dev.lockstep.ftvm.golive.RecordJson;
import dev.lockstep.ftvm.golive.ZkPaths;
import dev.lockstep.ftvm.guests.Guests;
import dev.lockstep.ftvm.node.NodeDisk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;

/**
 * A primary/backup cluster in the simulated world: two {@link SimulatedNode}s (the node's own protocol
 * code), the logging channel's twin on a {@link SimNetwork}, the {@link ZkTwin} for coordination, and a
 * client port per node. Faults act on the simulated processes, links and clocks.
 */
public final class SimCluster implements SimTarget {

  /** The cluster's name in the coordination service. */
  public static final String CLUSTER = "sim";
  private static final String SHARED_DISK = "shared";
  /** The cluster's secret for the logging channel's frame MACs (the simulated world has no outsider). */
  private static final String SECRET = "simulated-cluster";
  private static final List<String> NODES = List.of("n1", "n2");

  private final Sim sim;
  private final SimClusterSettings settings;
  private final byte[] elf;
  private final ZkTwin zk;
  private final SimNetwork network;
  private final ZkPaths paths = new ZkPaths(CLUSTER);
  private final TreeMap<String, SimProcess> processes = new TreeMap<>();
  private final TreeMap<String, SimulatedNode> nodes = new TreeMap<>();
  private final TreeMap<String, SimClientPort> ports = new TreeMap<>();
  private final TreeMap<String, Double> speeds = new TreeMap<>();
  private final TreeMap<String, List<Armed>> armed = new TreeMap<>();
  private final TreeMap<String, Long> clockOffsets = new TreeMap<>();
  /** The disks by node id, or the one shared disk under {@link #SHARED_DISK}: they outlive restarts. */
  private final TreeMap<String, SimDisk> disks = new TreeMap<>();
  private boolean clientsCut;
  private final java.util.TreeSet<String> clientCuts = new java.util.TreeSet<>();

  public SimCluster(Sim sim, SimClusterSettings settings) {
    this.sim = sim;
    this.settings = settings;
    this.elf = Guests.load(settings.guest());
    this.zk = new ZkTwin(sim);
    this.network = new SimNetwork(sim, SimNetwork.LAN);
    SimClusterSettings.Disk d = settings.disk();
    if (d.mode() != SimClusterSettings.DiskMode.NONE) {
      // created in node order from the world's seed: the same seed gives the same latencies
      for (String id : d.mode() == SimClusterSettings.DiskMode.LOCAL ? NODES : List.of(SHARED_DISK)) {
        disks.put(id, new SimDisk(sim, d.sectors(), d.latencyNanosMin(), d.latencyNanosMax()));
      }
    }
    for (String id : NODES) {
      startNode(id);
    }
  }

  private void startNode(String id) {
    SimProcess p = new SimProcess(sim, id);
    p.jumpClock(clockOffsets.getOrDefault(id, 0L));
    processes.put(id, p);
    p.onCrash(() -> network.crash(p));
    SimClientPort port = new SimClientPort(sim, id, p);
    port.onRelease(() -> released(id));
    if (clientCuts.contains(id)) {
      port.partition(true);
    }
    ports.put(id, port);
    SimulatedNode.Settings view = new SimulatedNode.Settings(
        settings.unsafe(), settings.instructionsPerSecond(), settings.hashInterval(), settings.lagMsMax());
    SimulatedNode n;
    try {
      n = new SimulatedNode(id, CLUSTER, p, view, elf,
          l -> zk.client(p, CLUSTER, id, settings.zkSessionTimeoutNanos(), l), channel(), port, diskOf(id, p),
          settings.runDir().resolve("nodes").resolve(id));
    } catch (IOException e) {
      throw new UncheckedIOException("node " + id + " in " + settings.runDir(), e);
    }
    Double speed = speeds.get(id);
    if (speed != null) {
      n.speed(speed);
    }
    nodes.put(id, n);
    n.start();
  }

  /** The disk node {@code id} uses while it runs as {@code p}: its own, the shared one, or none. */
  private NodeDisk diskOf(String id, SimProcess p) {
    SimDisk d = disks.getOrDefault(id, disks.get(SHARED_DISK));
    return d == null ? NodeDisk.NONE
        : new NodeDisk(d.on(p), settings.disk().mode() == SimClusterSettings.DiskMode.LOCAL);
  }

  /** Node {@code id}'s own disk, or the shared one; null without disks. */
  public SimDisk disk(String id) {
    return disks.getOrDefault(id, disks.get(SHARED_DISK));
  }

  private ChannelSettings channelSettings(long epoch) {
    return ChannelSettings.of(CLUSTER, ChannelSettings.secretOf(SECRET), epoch)
        .withTimeouts(Duration.ofNanos(settings.heartbeatNanos()), Duration.ofNanos(settings.failureTimeoutNanos()));
  }

  private SimulatedNode.Channel channel() {
    return new SimulatedNode.Channel() {
      @Override
      public SimulatedNode.Server listen(SimProcess primary, long epoch, PrimaryListener l) {
        SimLogServer server = SimLogServer.start(network, primary, channelSettings(epoch), primary.name(), l);
        return new SimulatedNode.Server() {
          @Override
          public void advanceEpoch(long e) {
            server.advanceEpoch(e);
          }

          @Override
          public void close() {
            server.close();
          }
        };
      }

      @Override
      public SimulatedNode.Client connect(SimProcess backup, String primaryNode, long epoch, BackupListener l) {
        SimLogClient c = SimLogClient.connect(network, backup, new SimNetwork.Address(primaryNode, SimLogServer.SERVICE),
            channelSettings(epoch), backup.name(), l);
        return new SimulatedNode.Client() {
          @Override
          public void ack(long seq, long executedIcount) {
            c.ack(seq, executedIcount);
          }

          @Override
          public void close(String reason) {
            c.close(reason);
          }
        };
      }
    };
  }

  @Override
  public Sim sim() {
    return sim;
  }

  @Override
  public List<String> nodes() {
    return NODES;
  }

  @Override
  public String publishedPrimary() {
    String json = zk.data(paths.primary());
    if (json == null) {
      return null;
    }
    return RecordJson.read(json.getBytes(StandardCharsets.UTF_8), PrimaryRecord.class).node().nodeId();
  }

  /** A fault waiting for a node's next release. */
  private static final class Armed {
    final long delayNanos;
    final Runnable fault;
    Sim.Task scheduled;
    boolean cancelled;

    Armed(long delayNanos, Runnable fault) {
      this.delayNanos = delayNanos;
      this.fault = fault;
    }
  }

  @Override
  public Runnable afterNextRelease(String node, long delayNanos, Runnable fault) {
    process(node);
    Armed a = new Armed(delayNanos, fault);
    armed.computeIfAbsent(node, n -> new java.util.ArrayList<>()).add(a);
    return () -> {
      a.cancelled = true;
      armed.getOrDefault(node, new java.util.ArrayList<>()).remove(a);
      if (a.scheduled != null) {
        a.scheduled.cancel();
      }
    };
  }

  private void released(String node) {
    List<Armed> waiting = armed.remove(node);
    if (waiting == null) {
      return;
    }
    for (Armed a : waiting) {
      if (!a.cancelled) {
        a.scheduled = sim.after(a.delayNanos, a.fault); // the nemesis acts from outside the node's process
      }
    }
  }

  @Override
  public boolean holdsOnlyCopy(String node) {
    process(node);
    return nodes.get(node).primaryAlone();
  }

  @Override
  public int exitCode(String node) {
    process(node);
    return nodes.get(node).exitCode();
  }

  @Override
  public SimClientPort clientPort(String node) {
    return ports.get(node);
  }

  /** The node's current incarnation (for tests and reports). */
  public SimulatedNode node(String id) {
    return nodes.get(id);
  }

  public ZkTwin coordination() {
    return zk;
  }

  public SimNetwork network() {
    return network;
  }

  private SimProcess process(String node) {
    SimProcess p = processes.get(node);
    if (p == null) {
      throw new IllegalArgumentException("no node '" + node + "' (nodes: " + NODES + ")");
    }
    return p;
  }

  @Override
  public void kill(String node) {
    SimProcess p = process(node);
    if (p.crashed()) {
      return;
    }
    nodes.get(node).kill();
    ports.get(node).close();
  }

  @Override
  public void restart(String node) {
    SimProcess p = process(node);
    if (!p.crashed()) {
      return;
    }
    nodes.get(node).close();
    startNode(node);
  }

  @Override
  public void pause(String node) {
    process(node).pause();
  }

  @Override
  public void resume(String node) {
    process(node).resume();
  }

  private String other(String node) {
    return NODES.get(0).equals(node) ? NODES.get(1) : NODES.get(0);
  }

  @Override
  public void partitionPeers(String from, boolean oneWay) {
    process(from);
    if (oneWay) {
      network.partitionOneWay(from, other(from));
    } else {
      network.partition(from, other(from));
    }
  }

  @Override
  public void cutCoordination(String node) {
    zk.cut(process(node));
  }

  @Override
  public void partitionClients(String node) {
    process(node);
    clientCuts.add(node);
    ports.get(node).partition(true);
  }

  @Override
  public void healNetwork() {
    network.healAll();
    for (SimProcess p : processes.values()) {
      zk.heal(p);
    }
    clientCuts.clear();
    for (SimClientPort port : ports.values()) {
      port.partition(false);
    }
  }

  @Override
  public void jumpClock(String node, long nanos) {
    clockOffsets.merge(node, nanos, Long::sum);
    process(node).jumpClock(nanos);
  }

  @Override
  public void slow(String node, double factor) {
    process(node);
    speeds.put(node, factor);
    nodes.get(node).speed(factor);
  }

  /** Ends the run: a live primary shuts down cleanly (its backup follows), then every node's logs are closed. */
  @Override
  public void stop() {
    for (SimulatedNode n : nodes.values()) {
      n.shutdown();
    }
    sim.runUntil(sim.now() + 2 * settings.failureTimeoutNanos());
    for (SimulatedNode n : nodes.values()) {
      n.close();
    }
  }
}
