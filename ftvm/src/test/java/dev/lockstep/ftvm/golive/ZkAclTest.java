package dev.lockstep.ftvm.golive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's znodes against a real in-process ZooKeeper server: a session that does not hold the
 * cluster's credential can read the primary's record but cannot create, change or delete anything.
 */
class ZkAclTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final Duration SESSION = Duration.ofMillis(2000);
  private static final byte[] SECRET = "the-cluster-secret".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  private TestingServer zk;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final ZkPaths paths = new ZkPaths("c1");

  @BeforeEach
  void startZk() throws Exception {
    zk = new TestingServer(new InstanceSpec(dir.resolve("zk").toFile(), -1, -1, -1, true, 1, 100, -1), true);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    zk.close();
  }

  private Coordinator coordinator(String nodeId, byte[] secret) {
    Coordinator c = new Coordinator(zk.getConnectString(), "c1", nodeId, SESSION, null,
        secret == null ? null : ZkAuth.fromSecret(secret, "c1"));
    open.add(c);
    return c;
  }

  private CuratorFramework outsider() throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.newClient(zk.getConnectString(), 2000, 2000, new RetryOneTime(50));
    open.add(c);
    c.start();
    assertTrue(c.blockUntilConnected(20, java.util.concurrent.TimeUnit.SECONDS));
    return c;
  }

  private static void refused(Executable e) {
    assertThrows(KeeperException.NoAuthException.class, e);
  }

  @Test
  void unauthenticatedSessionReadsButCannotChangeTheClustersZnodes() throws Exception {
    Coordinator a = coordinator("a", SECRET);
    a.start();
    assertEquals(new GoLiveResult.Won(1), a.tryGoLive(0));
    NodeAddress me = new NodeAddress("a", "127.0.0.1", 7000, 7001);
    assertTrue(a.publishPrimary(me, 1));
    CuratorFramework x = outsider();
    byte[] forged = RecordJson.write(new PrimaryRecord(new NodeAddress("a", "10.6.6.6", 1, 2), 1));

    refused(() -> x.setData().forPath(paths.primary(), forged));
    refused(() -> x.delete().forPath(paths.primary()));
    refused(() -> x.setData().forPath(paths.epoch(), "7".getBytes(StandardCharsets.UTF_8)));
    refused(() -> x.delete().forPath(paths.epoch()));
    refused(() -> x.create().withMode(CreateMode.EPHEMERAL).forPath(paths.goLive(2), "x".getBytes(StandardCharsets.UTF_8)));
    refused(() -> x.create().forPath(paths.backup(), forged));
    refused(() -> x.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(paths.base()));
    refused(() -> x.transaction().forOperations(
        x.transactionOp().delete().forPath(paths.primary()),
        x.transactionOp().create().forPath(paths.primary(), forged)));

    // reading stays open: clients find the primary without the secret
    assertEquals("1", new String(x.getData().forPath(paths.epoch()), StandardCharsets.UTF_8));
    try (PrimaryWatch w = new PrimaryWatch(zk.getConnectString(), "c1", SESSION)) {
      await().atMost(BOUND).until(() -> w.current().map(p -> p.node().equals(me)).orElse(false));
    }
    assertEquals(1, a.readEpoch());
    assertEquals(me, a.primary().orElseThrow().node());

    // the cluster's own nodes still do everything
    Coordinator b = coordinator("b", SECRET);
    b.start();
    assertTrue(b.publishBackup(new NodeAddress("b", "127.0.0.1", 7002, 7003), 1));
    a.close();
    await().atMost(BOUND).until(() -> {
      try {
        return b.tryGoLive(1).won();
      } catch (ZkUnavailableException e) {
        return false;
      }
    });
  }

  @Test
  void nodeWithAnotherSecretIsRefusedAtStartNamingThePath() throws Exception {
    coordinator("a", SECRET).start();
    Coordinator wrong = coordinator("w", "a-guessed-secret".getBytes(StandardCharsets.UTF_8));
    ZkAccessDeniedException e = assertThrows(ZkAccessDeniedException.class, wrong::start);
    assertEquals(paths.epoch(), e.path());
    assertTrue(e.getMessage().contains(paths.epoch()) && !e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void sessionWithoutCredentialIsRefusedAndChangesNothing() throws Exception {
    Coordinator a = coordinator("a", SECRET);
    a.start();
    Coordinator open = coordinator("o", null); // no credential at all: a session like any outsider's
    ZkAccessDeniedException e = assertThrows(ZkAccessDeniedException.class, open::start);
    assertTrue(e.path().startsWith(paths.base()), e.path());
    assertEquals(0, a.readEpoch(), "nothing changed");
    assertEquals(new GoLiveResult.Won(1), a.tryGoLive(0));
  }

  @Test
  void theCredentialDependsOnSecretAndCluster() {
    assertEquals(ZkAuth.fromSecret(SECRET, "c1").id(), ZkAuth.fromSecret(SECRET, "c1").id());
    assertFalse(ZkAuth.fromSecret(SECRET, "c1").id().equals(ZkAuth.fromSecret(SECRET, "c2").id()));
    assertFalse(ZkAuth.fromSecret(SECRET, "c1").id().equals(ZkAuth.fromSecret("other-secret".getBytes(), "c1").id()));
    assertFalse(new String(ZkAuth.fromSecret(SECRET, "c1").authBytes(), StandardCharsets.UTF_8)
        .contains(new String(SECRET, StandardCharsets.UTF_8)), "ZooKeeper never sees the secret itself");
  }

  @Test
  void clusterCreatedWithOpenZnodesGetsTheAclFromItsFirstAuthenticatedNode() throws Exception {
    Coordinator legacy = coordinator("old", null);
    legacy.start();
    legacy.close();
    Coordinator a = coordinator("a", SECRET);
    a.start();
    CuratorFramework x = outsider();
    refused(() -> x.setData().forPath(paths.epoch(), "9".getBytes(StandardCharsets.UTF_8)));
    refused(() -> x.create().forPath(paths.primary(), new byte[] {1}));
    assertEquals(new GoLiveResult.Won(1), a.tryGoLive(0));
  }
}
