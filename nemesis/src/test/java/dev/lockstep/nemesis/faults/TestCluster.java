package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Real processes ({@code sleep}) standing in for two nodes and three ZooKeeper servers, real proxies
 * for every link (targeting a listening socket), and real clock files. Primary n1, backup n2.
 */
final class TestCluster implements Cluster, AutoCloseable {
  static final List<String> NODES = List.of("n1", "n2");
  static final List<String> ZK = List.of("z1", "z2", "z3");

  private final Map<String, ManagedProcess> processes = new LinkedHashMap<>();
  private final Map<String, OffsetControl> clocks = new LinkedHashMap<>();
  private final List<Link> links = new ArrayList<>();
  private final ServerSocket sink;

  TestCluster(Path dir) {
    try {
      sink = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String id : concat(NODES, ZK)) {
      processes.put(id, ManagedProcess.start(id, () -> new ProcessBuilder("sleep", "600").start()));
    }
    for (String n : NODES) {
      clocks.put(n, new OffsetControl(dir.resolve(n).resolve("clock-offset")));
    }
    link("client-n1", Link.Kind.CLIENT, Link.CLIENTS, "n1");
    link("client-n2", Link.Kind.CLIENT, Link.CLIENTS, "n2");
    link("n1-n2", Link.Kind.LOGGING, "n1", "n2");
    for (String n : NODES) {
      for (String z : ZK) {
        link(n + "-" + z, Link.Kind.ZOOKEEPER, n, z);
      }
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private void link(String name, Link.Kind kind, String from, String to) {
    FaultProxy proxy =
        FaultProxy.builder(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.getLocalPort()))
            .name(name)
            .start();
    links.add(new Link(name, kind, from, to, proxy));
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
    return NODES;
  }

  @Override
  public Optional<String> primary() {
    return Optional.of("n1");
  }

  @Override
  public Optional<String> backup() {
    return Optional.of("n2");
  }

  @Override
  public List<String> zkServers() {
    return ZK;
  }

  @Override
  public ManagedProcess process(String id) {
    ManagedProcess p = processes.get(id);
    if (p == null) {
      throw new IllegalArgumentException("no process " + id);
    }
    return p;
  }

  @Override
  public List<Link> links() {
    return links;
  }

  @Override
  public OffsetControl clock(String node) {
    OffsetControl c = clocks.get(node);
    if (c == null) {
      throw new IllegalArgumentException("no clock for " + node);
    }
    return c;
  }

  @Override
  public void close() throws IOException {
    links.forEach(l -> l.proxy().close());
    processes.values().forEach(ManagedProcess::close);
    sink.close();
  }
}
