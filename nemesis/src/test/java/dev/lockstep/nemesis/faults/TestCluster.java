package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.BasicCluster;
import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.Roles;
import dev.lockstep.nemesis.Link;
import dev.lockstep.nemesis.clock.OffsetControl;
import dev.lockstep.nemesis.process.ManagedProcess;
import dev.lockstep.nemesis.proxy.FaultProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Real processes ({@code sleep}) standing in for two nodes and three ZooKeeper servers, real proxies
 * for every link (targeting a listening socket), and real clock files. Primary n1, backup n2.
 */
final class TestCluster implements Cluster, AutoCloseable {
  static final List<String> NODES = List.of("n1", "n2");
  static final List<String> ZK = List.of("z1", "z2", "z3");

  private final List<ManagedProcess> processes = new ArrayList<>();
  private final List<Link> links = new ArrayList<>();
  private final ServerSocket sink;
  private final BasicCluster cluster;
  private final boolean cutOnly;

  TestCluster(Path dir) {
    this(dir, false);
  }

  /**
   * @param cutOnly links that make only cuts and resets, as iptables rules in network namespaces do
   *     ({@link CutOnly}); the proxies behind them still carry the faults the tests read
   */
  TestCluster(Path dir, boolean cutOnly) {
    this.cutOnly = cutOnly;
    try {
      sink = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BasicCluster.Builder b = BasicCluster.builder(new Roles() {
      @Override
      public Optional<String> primary() {
        return Optional.of("n1");
      }

      @Override
      public Optional<String> backup() {
        return Optional.of("n2");
      }
    });
    for (String n : NODES) {
      b.node(n, sleeper(n), new OffsetControl(dir.resolve(n).resolve("clock-offset")));
    }
    for (String z : ZK) {
      b.zkServer(z, sleeper(z));
    }
    link("client-n1", Link.Kind.CLIENT, Link.CLIENTS, "n1");
    link("client-n2", Link.Kind.CLIENT, Link.CLIENTS, "n2");
    link("n1-n2", Link.Kind.LOGGING, "n1", "n2");
    for (String n : NODES) {
      for (String z : ZK) {
        link(n + "-" + z, Link.Kind.ZOOKEEPER, n, z);
      }
    }
    links.forEach(b::link);
    cluster = b.build();
  }

  private ManagedProcess sleeper(String id) {
    ManagedProcess p = ManagedProcess.start(id, () -> new ProcessBuilder("sleep", "600").start());
    processes.add(p);
    return p;
  }

  private void link(String name, Link.Kind kind, String from, String to) {
    FaultProxy proxy =
        FaultProxy.builder(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.getLocalPort()))
            .name(name)
            .start();
    links.add(new Link(name, kind, from, to, cutOnly ? new CutOnly(proxy) : proxy));
  }

  /** Link faults that refuse what iptables cannot make (delays, throttles, drops, flaky links). */
  record CutOnly(FaultProxy proxy) implements dev.lockstep.nemesis.LinkFaults {
    @Override
    public String name() {
      return proxy.name();
    }

    @Override
    public dev.lockstep.nemesis.proxy.Fault fault(dev.lockstep.nemesis.proxy.Direction d) {
      return proxy.fault(d);
    }

    @Override
    public boolean supports(dev.lockstep.nemesis.proxy.Fault f) {
      return f instanceof dev.lockstep.nemesis.proxy.Fault.Pass || f instanceof dev.lockstep.nemesis.proxy.Fault.Cut
          || f instanceof dev.lockstep.nemesis.proxy.Fault.Reset;
    }

    @Override
    public void set(dev.lockstep.nemesis.proxy.Direction d, dev.lockstep.nemesis.proxy.Fault f) {
      if (!supports(f)) {
        throw new dev.lockstep.nemesis.NemesisException(name() + " cannot make " + f);
      }
      proxy.set(d, f);
    }
  }

  Link link(String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }

  static char state(ManagedProcess p) {
    try {
      String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (IOException e) {
      return 'X';
    }
  }

  @Override
  public List<String> nodes() {
    return cluster.nodes();
  }

  @Override
  public Optional<String> primary() {
    return cluster.primary();
  }

  @Override
  public Optional<String> backup() {
    return cluster.backup();
  }

  @Override
  public List<String> zkServers() {
    return cluster.zkServers();
  }

  @Override
  public ManagedProcess process(String id) {
    return cluster.process(id);
  }

  @Override
  public List<Link> links() {
    return cluster.links();
  }

  @Override
  public OffsetControl clock(String node) {
    return cluster.clock(node);
  }

  /** Nodes that act as if they had not finished their join since they last started. */
  final java.util.Set<String> unjoined = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Override
  public boolean joined(String node) {
    return !unjoined.contains(node);
  }

  @Override
  public void close() throws IOException {
    links.forEach(l -> (l.faults() instanceof CutOnly c ? c.proxy() : (FaultProxy) l.faults()).close());
    processes.forEach(ManagedProcess::close);
    sink.close();
  }
}
