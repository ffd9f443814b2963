package dev.lockstep.ftvm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.golive.Coordination;
import dev.lockstep.ftvm.golive.CoordinationContract.Events;
import dev.lockstep.ftvm.golive.GoLiveResult;
import dev.lockstep.ftvm.golive.NodeAddress;
import dev.lockstep.ftvm.golive.Reclaim;
import dev.lockstep.ftvm.golive.ZkUnavailableException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What only the twin can show: pauses, crashes, short cuts, exact timings and determinism. */
class ZkTwinTest {
  private static final long MS = 1_000_000L;
  private static final long SESSION = 1_000 * MS;
  private static final String GO_LIVE_1 = "/lockstep/clusters/c/golive/00000000000000000001";

  private final Sim sim = new Sim(7);
  private final ZkTwin twin = new ZkTwin(sim);

  private Coordination join(SimProcess p, long sessionNanos, Events events) throws ZkUnavailableException {
    Coordination c = twin.client(p, "c", p.name(), sessionNanos, events);
    c.start();
    return c;
  }

  private static NodeAddress addr(String id) {
    return new NodeAddress(id, "127.0.0.1", 7000, 7001);
  }

  @Test
  void aCutShorterThanTheReadTimeoutGoesUnnoticed() throws Exception {
    SimProcess p = new SimProcess(sim, "a");
    Events events = new Events(sim::now);
    Coordination a = join(p, SESSION, events);
    assertTrue(a.tryGoLive(0).won());
    twin.cut(p);
    sim.runUntil(sim.now() + 300 * MS);
    assertThrows(ZkUnavailableException.class, a::readEpoch, "nothing passes while cut");
    twin.heal(p);
    sim.runUntil(sim.now() + 10 * SESSION);
    assertEquals(List.of(), events.names());
    assertTrue(a.publishPrimary(addr("a"), 1), "the same session still holds epoch 1");
  }

  @Test
  void aCutHealedBeforeExpiryReconnectsTheSameSession() throws Exception {
    long session = 6_000 * MS; // longer than the read timeout plus ZooKeeper's reconnect delays (up to 2 s)
    SimProcess p = new SimProcess(sim, "a");
    Events events = new Events(sim::now);
    Coordination a = join(p, session, events);
    assertTrue(a.tryGoLive(0).won());
    long cutAt = sim.now();
    twin.cut(p);
    while (!events.has("suspended")) {
      sim.runUntil(sim.now() + MS);
    }
    long suspendedAfter = events.at(0) - cutAt;
    assertTrue(suspendedAfter > session / 3 && suspendedAfter <= session * 2 / 3, "read timeout rule: " + events);
    twin.heal(p);
    sim.runUntil(sim.now() + 2_100 * MS);
    assertEquals(List.of("suspended", "reconnected"), events.names());
    assertTrue(a.publishPrimary(addr("a"), 1), "no LOST: the go-live node is still this session's");
  }

  @Test
  void everyOperationThrowsWhileCut() throws Exception {
    SimProcess p = new SimProcess(sim, "a");
    Coordination a = join(p, SESSION, null);
    assertTrue(a.tryGoLive(0).won());
    twin.cut(p);
    assertThrows(ZkUnavailableException.class, a::readEpoch);
    assertThrows(ZkUnavailableException.class, () -> a.tryGoLive(1));
    assertThrows(ZkUnavailableException.class, () -> a.reclaimGoLive(1));
    assertThrows(ZkUnavailableException.class, () -> a.publishPrimary(addr("a"), 1));
    assertThrows(ZkUnavailableException.class, () -> a.publishBackup(addr("a"), 1));
    assertThrows(ZkUnavailableException.class, a::start);
    assertEquals("1", twin.data("/lockstep/clusters/c/epoch"));
  }

  @Test
  void aNodePausedPastItsSessionLearnsLostOnlyAfterItResumes() throws Exception {
    SimProcess p = new SimProcess(sim, "a");
    SimProcess q = new SimProcess(sim, "b");
    Events events = new Events(sim::now);
    Coordination a = join(p, SESSION, events);
    Coordination b = join(q, SESSION, null);
    assertTrue(a.tryGoLive(0).won());
    p.pause();
    sim.runUntil(sim.now() + 3 * SESSION);
    assertNull(twin.data(GO_LIVE_1), "the paused node's session expired: its go-live node is gone");
    assertEquals(List.of(), events.names(), "a paused node hears nothing");
    assertEquals(new GoLiveResult.Won(2), b.tryGoLive(1));
    long resumedAt = sim.now();
    p.resume();
    assertThrows(ZkUnavailableException.class, a::readEpoch, "its session is gone");
    sim.runUntil(sim.now() + 3 * SESSION);
    assertEquals(List.of("suspended", "lost", "reconnected"), events.names());
    assertTrue(events.at(0) >= resumedAt);
    assertEquals(new GoLiveResult.Lost(2, "b"), a.tryGoLive(1));
    assertEquals(Reclaim.EPOCH_ADVANCED, a.reclaimGoLive(1));
  }

  @Test
  void aCrashedNodesEphemeralNodesVanishAfterItsSessionTimeout() throws Exception {
    SimProcess p = new SimProcess(sim, "a");
    Coordination a = join(p, SESSION, null);
    Coordination b = join(new SimProcess(sim, "b"), SESSION, null);
    assertTrue(a.tryGoLive(0).won());
    assertTrue(a.publishPrimary(addr("a"), 1));
    long crashedAt = sim.now();
    p.crash();
    sim.runUntil(crashedAt + SESSION * 2 / 3 - MS);
    assertNotNull(twin.data(GO_LIVE_1), "not before the session timeout after the last ping");
    sim.runUntil(crashedAt + SESSION);
    assertNull(twin.data(GO_LIVE_1));
    sim.runUntil(sim.now() + MS);
    assertTrue(b.primary().isEmpty());
    assertEquals(1, twin.liveSessions());
    assertTrue(b.tryGoLive(1).won());
  }

  @Test
  void aClosedClientsSessionEndsAtOnce() throws Exception {
    Coordination a = join(new SimProcess(sim, "a"), SESSION, null);
    assertTrue(a.tryGoLive(0).won());
    a.close();
    assertNull(twin.data(GO_LIVE_1));
    assertEquals(0, twin.liveSessions());
  }

  @Test
  void theSameSeedGivesTheSameRun() throws Exception {
    assertEquals(run(42), run(42));
    assertNotEquals(run(42), run(43), "the seed decides the run");
  }

  /** A cut, a pause and a crash with contention; the trace of every event with its virtual time. */
  private static String run(long seed) throws ZkUnavailableException {
    Sim s = new Sim(seed);
    ZkTwin t = new ZkTwin(s, 500 * MS);
    StringBuilder trace = new StringBuilder();
    SimProcess[] ps = new SimProcess[3];
    Coordination[] cs = new Coordination[3];
    Events[] es = new Events[3];
    for (int i = 0; i < 3; i++) {
      ps[i] = new SimProcess(s, "n" + i);
      es[i] = new Events(s::now);
      cs[i] = t.client(ps[i], "c", "n" + i, SESSION, es[i]);
      cs[i].start();
    }
    for (int round = 0; round < 20; round++) {
      int i = s.random().nextInt(3);
      switch (s.random().nextInt(4)) {
        case 0 -> t.cut(ps[i]);
        case 1 -> t.heal(ps[i]);
        case 2 -> ps[i].pause();
        default -> ps[i].resume();
      }
      s.runUntil(s.now() + s.random().nextLong(2 * SESSION));
      for (int j = 0; j < 3; j++) {
        try {
          trace.append(s.now()).append(' ').append(j).append(' ').append(cs[j].tryGoLive(cs[j].epoch())).append('\n');
        } catch (ZkUnavailableException e) {
          trace.append(s.now()).append(' ').append(j).append(" unavailable\n");
        }
      }
    }
    for (Events e : es) {
      trace.append(e).append('\n');
    }
    return trace.toString();
  }
}
