package dev.lockstep.ftvm.golive;

import org.awaitility.Awaitility;

import dev.lockstep.ftvm.node.it.BlackholeProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;

/**
 * The coordination contract on a real in-process ZooKeeper through {@link Coordinator}. Each node reaches
 * ZooKeeper through its own loopback {@link BlackholeProxy}, so one node's link can be cut alone. Short
 * ticks and sessions keep it fast; a server with a short container pass is started for the case that needs it.
 */
class CoordinatorContractTest extends CoordinationContract {
  private static final int TICK_MS = 50;
  /** Within the server's 2..20 ticks, so it is the negotiated timeout too. */
  private static final Duration SESSION = Duration.ofMillis(500);
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final String CONTAINER_CHECK_PROPERTY = "znode.container.checkIntervalMs";
  private static final AtomicInteger CLUSTERS = new AtomicInteger();

  /** One server per container pass, started when a case first asks for it. */
  private static final Map<Duration, TestingServer> SERVERS = new TreeMap<>();
  private static final Map<Duration, CuratorFramework> ADMINS = new TreeMap<>();

  private static synchronized TestingServer server(Duration containerCheck) throws Exception {
    TestingServer zk = SERVERS.get(containerCheck);
    if (zk == null) {
      // read by the server's container manager when it starts
      System.setProperty(CONTAINER_CHECK_PROPERTY, Long.toString(containerCheck.toMillis()));
      try {
        Path dir = Files.createTempDirectory("zk-contract");
        zk = new TestingServer(new InstanceSpec(dir.toFile(), -1, -1, -1, true, 1, TICK_MS, -1), true);
      } finally {
        System.clearProperty(CONTAINER_CHECK_PROPERTY);
      }
      CuratorFramework admin = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryNTimes(3, 100));
      admin.start();
      admin.blockUntilConnected();
      SERVERS.put(containerCheck, zk);
      ADMINS.put(containerCheck, admin);
    }
    return zk;
  }

  @AfterAll
  static synchronized void stopServers() throws IOException {
    for (CuratorFramework admin : ADMINS.values()) {
      admin.close();
    }
    for (TestingServer zk : SERVERS.values()) {
      zk.close();
    }
    ADMINS.clear();
    SERVERS.clear();
  }

  @Override
  protected Fixture newFixture(Duration containerCheck) throws Exception {
    return new RealFixture("contract" + CLUSTERS.incrementAndGet(), server(containerCheck),
        ADMINS.get(containerCheck));
  }

  private static final class RealFixture implements Fixture {
    private final String cluster;
    private final TestingServer zk;
    private final CuratorFramework admin;
    private final List<Coordinator> nodes = new ArrayList<>();
    private final List<BlackholeProxy> proxies = new ArrayList<>();
    private final List<Boolean> cut = new ArrayList<>();

    RealFixture(String cluster, TestingServer zk, CuratorFramework admin) {
      this.cluster = cluster;
      this.zk = zk;
      this.admin = admin;
    }

    @Override
    public Coordination join(String nodeId, ConnectionListener listener) throws ZkUnavailableException {
      BlackholeProxy proxy;
      try {
        proxy = new BlackholeProxy(0, new InetSocketAddress("127.0.0.1", zk.getPort()));
      } catch (IOException e) {
        throw new IllegalStateException("cannot start a loopback proxy", e);
      }
      // the cluster's own nodes, authenticated as a real node is: the ACLs change nothing for them
      Coordinator c = new Coordinator("127.0.0.1:" + proxy.port(), cluster, nodeId, SESSION, listener,
          ZkAuth.fromSecret("contract-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8), cluster));
      nodes.add(c);
      proxies.add(proxy);
      cut.add(false);
      c.start();
      return c;
    }

    private BlackholeProxy proxyOf(Coordination node) {
      return proxies.get(nodes.indexOf(node));
    }

    @Override
    public void cut(Coordination node) {
      proxyOf(node).cut();
      cut.set(nodes.indexOf(node), true);
    }

    @Override
    public void heal(Coordination node) {
      proxyOf(node).heal();
      cut.set(nodes.indexOf(node), false);
    }

    @Override
    public void await(String what, BooleanSupplier condition) {
      Awaitility.await().alias(what).atMost(BOUND).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }

    @Override
    public long nowNanos() {
      return System.nanoTime();
    }

    @Override
    public Duration sessionTimeout() {
      return SESSION;
    }

    @Override
    public String cluster() {
      return cluster;
    }

    @Override
    public boolean exists(String path) {
      try {
        return admin.checkExists().forPath(path) != null;
      } catch (Exception e) {
        throw new IllegalStateException("admin client cannot reach ZooKeeper", e);
      }
    }

    @Override
    public void close() throws IOException {
      // a client over a live link closes its session at once; over a cut one it would wait for an
      // answer, so its proxy closes first and it ends at once on the closed port
      for (int i = 0; i < nodes.size(); i++) {
        if (!cut.get(i)) {
          nodes.get(i).close();
        }
      }
      for (BlackholeProxy p : proxies) {
        p.close();
      }
      for (int i = 0; i < nodes.size(); i++) {
        if (cut.get(i)) {
          nodes.get(i).close();
        }
      }
    }
  }
}
