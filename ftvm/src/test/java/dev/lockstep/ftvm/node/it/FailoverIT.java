package dev.lockstep.ftvm.node.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.node.NodeExit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Real ZooKeeper, real node processes, real sockets: the failures the FT protocol exists for.
 */
class FailoverIT {

  private static final Duration START = Duration.ofSeconds(30);
  private FtCluster cluster;
  private Load load;

  private FtCluster cluster(TestInfo info) throws Exception {
    cluster = new FtCluster(info.getTestMethod().orElseThrow().getName());
    return cluster;
  }

  @AfterEach
  void stopAll() throws Exception {
    if (load != null) {
      load.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Waits until the load has had {@code more} further ok calls. */
  private void awaitOks(long more, Duration bound) {
    long target = load.ok.get() + more;
    await().atMost(bound).pollInterval(Duration.ofMillis(20)).until(() -> load.ok.get() >= target);
  }

  private void assertRunIsSound() throws InterruptedException {
    load.close();
    List<String> lost = load.lostWrites();
    assertTrue(lost.isEmpty(), "acknowledged writes lost: " + lost);
    assertEquals(List.of(), Checks.differingReplies(cluster.nodes), "differing replies to one request");
    assertEquals(List.of(), Checks.divergences(cluster.nodes), "state hashes differ");
    assertTrue(Checks.comparedHashes(cluster.nodes) > 0, "no state hash was compared between nodes");
  }

  @Test
  void killPrimaryUnderLoad(TestInfo info) throws Exception {
    FtCluster c = cluster(info);
    NodeProcess a = c.start("a", false);
    long e1 = c.awaitPrimary(a, 0, START);
    NodeProcess b = c.start("b", false);
    c.awaitBackup(b, 1, START);
    load = new Load(c.zkConnect(), c.name, 3, 1);
    awaitOks(300, Duration.ofSeconds(30));
    a.kill9();
    long e2 = c.awaitPrimary(b, e1, Duration.ofSeconds(15));
    assertEquals(e1 + 1, e2);
    awaitOks(300, Duration.ofSeconds(30));
    assertRunIsSound();
  }

  @Test
  void killBackupThenRestartedNodeBecomesBackupAndSurvivesPrimaryLoss(TestInfo info) throws Exception {
    FtCluster c = cluster(info);
    NodeProcess a = c.start("a", false);
    long e1 = c.awaitPrimary(a, 0, START);
    NodeProcess b = c.start("b", false);
    c.awaitBackup(b, 1, START);
    load = new Load(c.zkConnect(), c.name, 2, 1);
    awaitOks(200, Duration.ofSeconds(30));
    b.kill9();
    // the primary does the test-and-set and goes on alone in the next epoch
    long e2 = c.awaitPrimary(a, e1, Duration.ofSeconds(15));
    awaitOks(200, Duration.ofSeconds(30));
    NodeProcess b2 = c.start("b2", false);
    c.awaitBackup(b2, 1, START);
    awaitOks(200, Duration.ofSeconds(30));
    a.kill9();
    c.awaitPrimary(b2, e2, Duration.ofSeconds(15));
    awaitOks(200, Duration.ofSeconds(30));
    assertRunIsSound();
  }

  @Test
  void tenFailoversInARow(TestInfo info) throws Exception {
    FtCluster c = cluster(info);
    NodeProcess primary = c.start("n0", false);
    long epoch = c.awaitPrimary(primary, 0, START);
    NodeProcess backup = c.start("n1", false);
    c.awaitBackup(backup, 1, START);
    load = new Load(c.zkConnect(), c.name, 2, 1);
    for (int i = 2; i <= 11; i++) {
      awaitOks(50, Duration.ofSeconds(30));
      primary.kill9();
      epoch = c.awaitPrimary(backup, epoch, Duration.ofSeconds(15));
      primary = backup;
      backup = c.start("n" + i, false);
      c.awaitBackup(backup, 1, START);
    }
    awaitOks(50, Duration.ofSeconds(30));
    assertRunIsSound();
  }

  @Test
  void partitionBetweenPrimaryAndBackupLetsExactlyOneGoOn(TestInfo info) throws Exception {
    FtCluster c = cluster(info);
    NodeProcess a = c.start("a", true);
    long e1 = c.awaitPrimary(a, 0, START);
    NodeProcess b = c.start("b", true);
    c.awaitBackup(b, 1, START);
    load = new Load(c.zkConnect(), c.name, 2, 1);
    awaitOks(200, Duration.ofSeconds(30));
    long cutAt = System.currentTimeMillis() * 1_000_000L;
    c.proxyOf("a").cut();
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
        .until(() -> !a.alive() || !b.alive());
    NodeProcess loser = a.alive() ? b : a;
    NodeProcess winner = loser == a ? b : a;
    assertEquals(NodeExit.LOST_GOLIVE, loser.exitCode(), "loser's exit; log:\n" + FtCluster.tail(loser.log()));
    assertEquals(1, Checks.winners(c.nodes, e1 + 1), "winners of epoch " + (e1 + 1));
    c.awaitPrimary(winner, e1, Duration.ofSeconds(15));
    awaitOks(200, Duration.ofSeconds(30));
    assertTrue(winner.alive());
    // acks already in flight at the cut may still release outputs the winner has; nothing else leaves
    assertEquals(List.of(), Checks.outputsUnknownTo(loser, winner, cutAt), "loser's outputs the winner lacks");
    long settled = cutAt + FtCluster.FAILURE_TIMEOUT.toNanos() / 2;
    assertEquals(0, Checks.outputsAfter(loser, settled), "outputs the loser released well after the cut");
    assertRunIsSound();
  }

  /** The planted bug no-golive-lock must really break the guarantee, or the tester cannot be tested. */
  @Test
  void plantedNoGoLiveLockLetsBothSidesOfAPartitionGoOn(TestInfo info) throws Exception {
    FtCluster c = cluster(info);
    NodeProcess a = c.start("a", true, "--unsafe", "no-golive-lock");
    long e1 = c.awaitPrimary(a, 0, START);
    NodeProcess b = c.start("b", true, "--unsafe", "no-golive-lock");
    c.awaitBackup(b, 1, START);
    c.proxyOf("a").cut();
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
        .until(() -> Checks.winners(c.nodes, e1 + 1) + Checks.winners(c.nodes, e1 + 2) >= 2 || !a.alive() || !b.alive());
    assertTrue(a.alive() && b.alive(), "with the planted bug both sides go on");
    assertEquals(2, Checks.winners(c.nodes, e1 + 1) + Checks.winners(c.nodes, e1 + 2), "both sides went live");
  }

  @Test
  void nobodyGoesLiveWhileZooKeeperIsDown(TestInfo info) throws Exception {
    FtCluster c = cluster(info);
    NodeProcess a = c.start("a", false);
    long e1 = c.awaitPrimary(a, 0, START);
    NodeProcess b = c.start("b", false);
    c.awaitBackup(b, 1, START);
    load = new Load(c.zkConnect(), c.name, 2, 1);
    awaitOks(100, Duration.ofSeconds(30));
    c.stopZk();
    a.kill9();
    // several failure timeouts pass: the backup has noticed, and must wait for ZooKeeper's word
    long waitUntil = System.nanoTime() + 6 * FtCluster.FAILURE_TIMEOUT.toNanos();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> System.nanoTime() > waitUntil || !b.alive());
    assertTrue(b.alive(), "backup died while ZooKeeper was down:\n" + FtCluster.tail(b.log()));
    assertEquals(0, Checks.winners(c.nodes, e1 + 1), "a node went live without ZooKeeper");
    assertFalse(FtCluster.lines(b.events()).stream().anyMatch(j -> "output".equals(j.path("type").asText())),
        "the backup released output without going live");
    c.restartZk();
    c.awaitPrimary(b, e1, Duration.ofSeconds(20));
    assertEquals(1, Checks.winners(c.nodes, e1 + 1));
    awaitOks(100, Duration.ofSeconds(30));
    assertRunIsSound();
  }
}
