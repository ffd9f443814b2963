package dev.lockstep.ftvm.golive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Go-live against a real in-process ZooKeeper server (curator-test), stopped and restarted. */
class CoordinatorTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final Duration SESSION = Duration.ofMillis(1500);
  private static final int TICK_MS = 100;

  @TempDir Path dir;
  private TestingServer zk;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void startZk() throws Exception {
    InstanceSpec spec = new InstanceSpec(dir.resolve("zk").toFile(), -1, -1, -1, true, 1, TICK_MS, -1);
    zk = new TestingServer(spec, true);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    zk.close();
  }

  private Coordinator coordinator(String nodeId, ConnectionListener l) throws ZkUnavailableException {
    Coordinator c = new Coordinator(zk.getConnectString(), "c1", nodeId, SESSION, l);
    open.add(c);
    c.start();
    return c;
  }

  private static NodeAddress addr(String id) {
    return new NodeAddress(id, "127.0.0.1", 7000, 7001);
  }

  @Test
  void firstNodeWinsEpochOneAndEveryoneSeesItsRecord() throws Exception {
    Coordinator a = coordinator("a", null);
    Coordinator b = coordinator("b", null);
    assertEquals(0, a.epoch());
    GoLiveResult r = a.tryGoLive(0);
    assertEquals(new GoLiveResult.Won(1), r);
    assertTrue(a.publishPrimary(addr("a"), 1));
    await().atMost(BOUND).until(() -> b.primary().isPresent() && b.epoch() == 1);
    assertEquals(new PrimaryRecord(addr("a"), 1), b.primary().get());
    assertTrue(b.publishBackup(addr("b"), 1));
    await().atMost(BOUND).until(() -> a.backup().isPresent());
    assertEquals(new BackupRecord(addr("b"), 1), a.backup().get());
  }

  @Test
  void ofConcurrentContendersExactlyOneWins() throws Exception {
    int n = 4;
    List<Coordinator> cs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      cs.add(coordinator("n" + i, null));
    }
    cs.get(0).tryGoLive(0);
    for (int round = 0; round < 5; round++) {
      long observed = cs.get(0).readEpoch();
      CyclicBarrier go = new CyclicBarrier(n);
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        List<Future<GoLiveResult>> fs = new ArrayList<>();
        for (Coordinator c : cs) {
          fs.add(pool.submit(() -> {
            go.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            return c.tryGoLive(observed);
          }));
        }
        int wins = 0;
        String winner = null;
        List<GoLiveResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          GoLiveResult r = fs.get(i).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
          results.add(r);
          if (r.won()) {
            wins++;
            winner = "n" + i;
            assertEquals(observed + 1, r.epoch());
          }
        }
        assertEquals(1, wins, results.toString());
        for (GoLiveResult r : results) {
          if (r instanceof GoLiveResult.Lost l) {
            assertEquals(observed + 1, l.epoch());
            assertEquals(winner, l.winner());
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aStaleObservedEpochLoses() throws Exception {
    Coordinator a = coordinator("a", null);
    Coordinator b = coordinator("b", null);
    assertTrue(a.tryGoLive(0).won());
    assertTrue(b.tryGoLive(1).won());
    GoLiveResult r = a.tryGoLive(1);
    assertEquals(new GoLiveResult.Lost(2, "b"), r);
    assertFalse(a.tryGoLive(0).won());
  }

  @Test
  void aNodePausedThroughAWholeEpochCannotWinItLater() throws Exception {
    Coordinator paused = coordinator("paused", null);
    assertTrue(paused.tryGoLive(0).won());
    Coordinator b = new Coordinator(zk.getConnectString(), "c1", "b", SESSION, null);
    b.start();
    assertTrue(b.tryGoLive(1).won());
    // b dies: its ephemeral go-live node for epoch 2 vanishes with its session.
    b.close();
    // The paused node wakes up still believing in epoch 1, or even sees epoch 2's node gone: it must lose.
    assertEquals(new GoLiveResult.Lost(2, ""), paused.tryGoLive(1));
    assertFalse(paused.publishPrimary(addr("paused"), 1));
    assertFalse(paused.publishPrimary(addr("paused"), 2), "it does not hold epoch 2's go-live node");
    // Only a node that observed the current epoch can move on.
    assertTrue(coordinator("c", null).tryGoLive(2).won());
  }

  @Test
  void publishingReplacesAnOlderPrimaryRecordAndDropsOwnBackupRecord() throws Exception {
    Coordinator a = coordinator("a", null);
    Coordinator b = coordinator("b", null);
    assertTrue(a.tryGoLive(0).won());
    assertTrue(a.publishPrimary(addr("a"), 1));
    assertTrue(b.publishBackup(addr("b"), 1));
    assertTrue(b.tryGoLive(1).won());
    assertTrue(b.publishPrimary(addr("b"), 2));
    await().atMost(BOUND).until(() -> a.primary().map(p -> p.epoch() == 2).orElse(false) && a.backup().isEmpty());
    assertEquals("b", a.primary().get().node().nodeId());
    assertFalse(a.publishBackup(addr("a"), 1), "a backup record for an old epoch is refused");
  }

  @Test
  void zooKeeperDownMeansNoDecisionThenItComesBack() throws Exception {
    Events events = new Events();
    Coordinator a = coordinator("a", events);
    assertTrue(a.tryGoLive(0).won());
    zk.stop();
    await().atMost(BOUND).until(() -> events.suspended.get() > 0);
    ZkUnavailableException e = assertThrows(ZkUnavailableException.class, () -> a.tryGoLive(1));
    assertTrue(e.getMessage().contains("unavailable"), e.getMessage());
    assertThrows(ZkUnavailableException.class, () -> a.publishPrimary(addr("a"), 1));
    zk.restart();
    await().atMost(BOUND).until(() -> events.reconnected.get() > 0 || events.lost.get() > 0);
    await().atMost(BOUND).ignoreExceptions().until(() -> a.tryGoLive(1).won());
    assertEquals(2, a.readEpoch());
  }

  @Test
  void startFailsBoundedWhenZooKeeperIsUnreachableAndCanBeRetried() throws Exception {
    zk.stop();
    Coordinator c = new Coordinator(zk.getConnectString(), "c1", "a", Duration.ofMillis(800), null);
    open.add(c);
    long t0 = System.nanoTime();
    assertThrows(ZkUnavailableException.class, c::start);
    assertTrue(System.nanoTime() - t0 < BOUND.toNanos());
    assertThrows(ZkUnavailableException.class, c::start);
    zk.restart();
    await().atMost(BOUND).ignoreExceptions().until(() -> {
      c.start();
      return true;
    });
    assertTrue(c.tryGoLive(0).won());
  }

  @Test
  void aLongOutageLosesTheSessionAndItsEphemeralNodes() throws Exception {
    Events events = new Events();
    Coordinator a = coordinator("a", events);
    assertTrue(a.tryGoLive(0).won());
    assertTrue(a.publishPrimary(addr("a"), 1));
    zk.stop();
    await().atMost(BOUND).until(() -> events.lost.get() > 0);
    zk.restart();
    Coordinator b = coordinator("b", null);
    await().atMost(BOUND).until(() -> b.primary().isEmpty());
    assertEquals(new GoLiveResult.Lost(1, ""), b.tryGoLive(0));
    assertTrue(b.tryGoLive(1).won());
  }

  @Test
  void aLostSessionReclaimsItsEpochOnlyWhileNobodyAdvancedIt() throws Exception {
    Events events = new Events();
    Coordinator a = coordinator("a", events);
    assertTrue(a.tryGoLive(0).won());
    assertTrue(a.publishPrimary(addr("a"), 1));
    zk.stop();
    await().atMost(BOUND).until(() -> events.lost.get() > 0);
    zk.restart();
    await().atMost(BOUND).until(() -> events.reconnected.get() > 0);
    assertEquals(Reclaim.HELD, await().atMost(BOUND).ignoreExceptions().until(() -> a.reclaimGoLive(1), r -> true));
    assertTrue(a.publishPrimary(addr("a"), 1), "the reclaimed go-live node lets it publish again");
    assertEquals(Reclaim.HELD, a.reclaimGoLive(1), "reclaiming twice is harmless");
    Coordinator b = coordinator("b", null);
    assertEquals(Reclaim.HELD_BY_OTHER, b.reclaimGoLive(1));
    assertTrue(b.tryGoLive(1).won());
    assertEquals(Reclaim.EPOCH_ADVANCED, a.reclaimGoLive(1));
    assertFalse(a.publishPrimary(addr("a"), 1));
  }

  @Test
  void reclaimReplacesTheGoLiveNodeOfTheSameNodesDeadSession() throws Exception {
    Coordinator old = coordinator("a", null);
    assertTrue(old.tryGoLive(0).won());
    Coordinator again = coordinator("a", null); // same node id, a new session
    assertFalse(again.publishPrimary(addr("a"), 1), "the new session does not hold the go-live node yet");
    assertEquals(Reclaim.HELD, again.reclaimGoLive(1));
    assertTrue(again.publishPrimary(addr("a"), 1));
    assertFalse(old.publishPrimary(addr("a"), 1), "the old session lost its hold");
  }

  @Test
  void clusterNamesCannotEscapeTheirSubtree() {
    assertThrows(IllegalArgumentException.class,
        () -> new Coordinator(zk.getConnectString(), "a/b", "n", SESSION, null));
  }

  static final class Events implements ConnectionListener {
    final AtomicInteger suspended = new AtomicInteger();
    final AtomicInteger reconnected = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();

    @Override
    public void suspended() {
      suspended.incrementAndGet();
    }

    @Override
    public void reconnected() {
      reconnected.incrementAndGet();
    }

    @Override
    public void lost() {
      lost.incrementAndGet();
    }
  }
}
