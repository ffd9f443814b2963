package dev.lockstep.ftvm.golive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a node may rely on from its coordination service, run on a real ZooKeeper through {@link
 * Coordinator} and on the simulator's twin: the test-and-set with epoch versions, ephemeral nodes that
 * vanish at session expiry, reclaim, published records, and the connection states a cut link causes.
 * A subclass supplies the world through a {@link Fixture}.
 */
public abstract class CoordinationContract {

  /** One world: a coordination service, nodes that join it, their links to it, and its clock. */
  public interface Fixture extends AutoCloseable {
    /** A started client for {@code nodeId} (a new session; the same id may join twice). */
    Coordination join(String nodeId, ConnectionListener listener) throws ZkUnavailableException;

    /** Cuts the link between {@code node}'s client and the service: nothing passes either way. */
    void cut(Coordination node);

    void heal(Coordination node);

    /** Lets the world run until {@code condition} holds; fails the test after a bound. */
    void await(String what, BooleanSupplier condition);

    /** The world's clock in nanoseconds (virtual in the twin). */
    long nowNanos();

    Duration sessionTimeout();

    /** The cluster the fixture's nodes join. */
    String cluster();

    /** Whether the znode at {@code path} exists, as the service sees it now. */
    boolean exists(String path);

    @Override
    void close() throws Exception;
  }

  /** ZooKeeper's default container pass ({@code znode.container.checkIntervalMs}): no case lasts that long. */
  protected static final Duration CONTAINER_CHECK_DEFAULT = Duration.ofMinutes(1);
  /** A pass short enough for the one case about reaped containers. */
  protected static final Duration CONTAINER_CHECK_FAST = Duration.ofMillis(200);

  /** A new world whose server deletes emptied containers every {@code containerCheck}. */
  protected abstract Fixture newFixture(Duration containerCheck) throws Exception;

  private Fixture f;
  private ZkPaths paths;

  @BeforeEach
  void setUpFixture() throws Exception {
    f = newFixture(CONTAINER_CHECK_DEFAULT);
    paths = new ZkPaths(f.cluster());
  }

  @AfterEach
  void tearDownFixture() throws Exception {
    f.close();
  }

  private static NodeAddress addr(String id) {
    return new NodeAddress(id, "127.0.0.1", 7000, 7001);
  }

  @Test
  void theFirstTestAndSetForAnEpochWinsAndAdvancesTheEpoch() throws Exception {
    Coordination a = f.join("a", null);
    Coordination b = f.join("b", null);
    assertEquals(0, a.readEpoch());
    assertEquals(new GoLiveResult.Won(1), a.tryGoLive(0));
    assertEquals(1, a.readEpoch());
    assertEquals(1, b.readEpoch());
    f.await("b sees epoch 1 through its watch", () -> b.epoch() == 1);
    assertTrue(f.exists(paths.goLive(1)));
  }

  @Test
  void aSecondCallerWithTheOldEpochLosesAndLearnsTheWinner() throws Exception {
    Coordination a = f.join("a", null);
    Coordination b = f.join("b", null);
    assertTrue(a.tryGoLive(0).won());
    assertEquals(new GoLiveResult.Lost(1, "a"), b.tryGoLive(0));
    assertEquals(new GoLiveResult.Won(2), b.tryGoLive(1));
    assertEquals(new GoLiveResult.Lost(2, "b"), a.tryGoLive(1));
    assertEquals(new GoLiveResult.Lost(2, "b"), a.tryGoLive(0));
    assertEquals(2, a.readEpoch());
  }

  @Test
  void anExpiredSessionsGoLiveNodeVanishesAndItCannotWinTheOldEpochAgain() throws Exception {
    Events aEvents = new Events(f::nowNanos);
    Coordination a = f.join("a", aEvents);
    Coordination b = f.join("b", null);
    assertTrue(a.tryGoLive(0).won());
    assertTrue(a.publishPrimary(addr("a"), 1));
    f.await("b sees a's record", () -> b.primary().isPresent());
    f.cut(a);
    f.await("a's session lost", () -> aEvents.has("lost"));
    f.await("a's ephemeral records gone", () -> b.primary().isEmpty() && !f.exists(paths.goLive(1)));
    assertEquals(new GoLiveResult.Lost(1, ""), b.tryGoLive(0), "the holder is gone but epoch 1 stays taken");
    assertTrue(b.tryGoLive(1).won());
    b.close(); // the holder of epoch 2 dies too: its go-live node vanishes
    f.await("b's go-live node gone", () -> !f.exists(paths.goLive(2)));
    f.heal(a);
    f.await("a reconnected with a new session", () -> aEvents.has("reconnected"));
    // TRICKY (DESIGN.md): a, out through all of epoch 2, still believes in epoch 1; it must lose.
    assertEquals(new GoLiveResult.Lost(2, ""), a.tryGoLive(1));
    assertEquals(new GoLiveResult.Lost(2, ""), a.tryGoLive(0));
    assertFalse(a.publishPrimary(addr("a"), 1));
    assertFalse(a.publishPrimary(addr("a"), 2), "a does not hold epoch 2's go-live node");
    assertEquals(new GoLiveResult.Won(3), a.tryGoLive(2), "only the current epoch can be won");
  }

  @Test
  void reclaimHoldsTakesOverItsOwnDeadSessionAndRefusesAnotherHolderOrAnAdvancedEpoch() throws Exception {
    Coordination old = f.join("a", null);
    assertTrue(old.tryGoLive(0).won());
    Coordination again = f.join("a", null); // the same node with a new session; the old one still lives
    assertFalse(again.publishPrimary(addr("a"), 1), "the new session does not hold the go-live node yet");
    assertEquals(Reclaim.HELD, again.reclaimGoLive(1));
    assertEquals(Reclaim.HELD, again.reclaimGoLive(1), "reclaiming twice is harmless");
    assertTrue(again.publishPrimary(addr("a"), 1));
    assertFalse(old.publishPrimary(addr("a"), 1), "the old session lost its hold");
    Coordination b = f.join("b", null);
    assertEquals(Reclaim.HELD_BY_OTHER, b.reclaimGoLive(1));
    assertTrue(b.tryGoLive(1).won());
    assertEquals(Reclaim.EPOCH_ADVANCED, again.reclaimGoLive(1));
    assertFalse(again.publishPrimary(addr("a"), 1));
  }

  @Test
  void recordsPublishedByOneNodeAreReadByAnother() throws Exception {
    Coordination a = f.join("a", null);
    Coordination b = f.join("b", null);
    assertTrue(a.tryGoLive(0).won());
    assertTrue(a.publishPrimary(addr("a"), 1));
    f.await("b sees a as primary", () -> b.primary().equals(java.util.Optional.of(new PrimaryRecord(addr("a"), 1))));
    assertTrue(b.publishBackup(addr("b"), 1));
    f.await("a sees b as backup", () -> a.backup().equals(java.util.Optional.of(new BackupRecord(addr("b"), 1))));
    assertTrue(b.tryGoLive(1).won());
    assertTrue(b.publishPrimary(addr("b"), 2));
    f.await("a sees b as primary of epoch 2 and no backup",
        () -> a.primary().map(p -> p.epoch() == 2).orElse(false) && a.backup().isEmpty() && a.epoch() == 2);
    assertEquals("b", a.primary().get().node().nodeId());
    assertFalse(a.publishBackup(addr("a"), 1), "a backup record for an old epoch is refused");
    assertFalse(a.publishPrimary(addr("a"), 2), "only the go-live node's holder publishes as primary");
  }

  @Test
  void aCutGivesSuspendedThenLostAfterTheSessionTimeoutAndAHealReconnectsWithANewSession() throws Exception {
    Events events = new Events(f::nowNanos);
    Coordination a = f.join("a", events);
    assertTrue(a.tryGoLive(0).won());
    long cutAt = f.nowNanos();
    f.cut(a);
    f.await("a's session lost", () -> events.has("lost"));
    long session = f.sessionTimeout().toNanos();
    assertEquals(List.of("suspended", "lost"), events.names());
    assertTrue(events.at(0) - cutAt <= session, "SUSPENDED within the session timeout: " + events);
    assertTrue(events.at(1) - cutAt >= session, "LOST not before the session timeout: " + events);
    f.heal(a);
    f.await("a reconnected", () -> events.has("reconnected"));
    assertEquals(List.of("suspended", "lost", "reconnected"), events.names());
    assertEquals(1, a.readEpoch());
    assertEquals(Reclaim.HELD, a.reclaimGoLive(1), "nobody advanced the epoch meanwhile");
    assertTrue(a.publishPrimary(addr("a"), 1));
  }

  @Test
  void operationsOverACutLinkThrowAndDecideNothing() throws Exception {
    Events events = new Events(f::nowNanos);
    Coordination a = f.join("a", events);
    Coordination b = f.join("b", null);
    assertTrue(a.tryGoLive(0).won());
    f.cut(a);
    f.await("a suspended", () -> events.has("suspended"));
    // one call: against a real ZooKeeper each takes Curator's retries over a dead link (seconds);
    // ZkTwinTest checks every operation on the twin
    assertThrows(ZkUnavailableException.class, () -> a.tryGoLive(1));
    assertEquals(1, b.readEpoch(), "the failed test-and-set decided nothing");
  }

  @Test
  void aReapedGoLiveDirectoryIsMadeAgainByTheNextTestAndSet() throws Exception {
    f.close();
    f = newFixture(CONTAINER_CHECK_FAST);
    paths = new ZkPaths(f.cluster());
    Coordination a = f.join("a", null);
    Coordination b = f.join("b", null);
    assertTrue(a.tryGoLive(0).won());
    a.close();
    // The go-live directory is a container: once its last child is gone, the server deletes it.
    f.await("the go-live directory reaped", () -> !f.exists(paths.goLiveDir()));
    // a primary alone whose session was lost for longer than a container pass, and a backup whose
    // primary died long after the last go-live, must still be able to take the next epoch
    assertEquals(new GoLiveResult.Won(2), b.tryGoLive(1), "the test-and-set made the directory again");
    assertEquals(2, b.readEpoch());
  }

  @Test
  void aPrimaryWhoseSessionEndedReclaimsItsEpochAfterTheGoLiveDirectoryWasReaped() throws Exception {
    f.close();
    f = newFixture(CONTAINER_CHECK_FAST);
    paths = new ZkPaths(f.cluster());
    Coordination a = f.join("a", null);
    assertTrue(a.tryGoLive(0).won());
    a.close(); // all nodes paused past the session timeout: the go-live node goes with the session
    f.await("the go-live directory reaped", () -> !f.exists(paths.goLiveDir()));
    Coordination again = f.join("a", null);
    assertEquals(Reclaim.HELD, again.reclaimGoLive(1), "nobody advanced the epoch: the node goes on in it");
    assertTrue(again.publishPrimary(addr("a"), 1));
    assertTrue(f.exists(paths.goLive(1)));
  }

  /** Connection states with the world's time of each, in order. */
  public static final class Events implements ConnectionListener {
    private final LongSupplier clock;
    private final List<String> names = new CopyOnWriteArrayList<>();
    private final List<Long> times = new CopyOnWriteArrayList<>();

    public Events(LongSupplier clock) {
      this.clock = clock;
    }

    @Override
    public void suspended() {
      add("suspended");
    }

    @Override
    public void reconnected() {
      add("reconnected");
    }

    @Override
    public void lost() {
      add("lost");
    }

    private synchronized void add(String name) {
      times.add(clock.getAsLong());
      names.add(name);
    }

    public boolean has(String name) {
      return names.contains(name);
    }

    public synchronized List<String> names() {
      return new ArrayList<>(names);
    }

    public synchronized long at(int i) {
      return times.get(i);
    }

    @Override
    public synchronized String toString() {
      List<String> s = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        s.add(names.get(i) + "@" + times.get(i));
      }
      return s.toString();
    }
  }
}
