package dev.lockstep.nemesis.faults;

import static dev.lockstep.nemesis.faults.Ops.get;
import static dev.lockstep.nemesis.faults.Ops.op;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.nemesis.Link;
import dev.lockstep.nemesis.Nemesis;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.proxy.Direction;
import dev.lockstep.nemesis.proxy.Fault;
import dev.lockstep.nemesis.schedule.Family;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The families added for composed faults, against real processes, proxies and clock files. */
class NewFamiliesTest {
  private static final Duration WAIT_MAX = Duration.ofSeconds(10);

  @TempDir Path dir;
  private TestCluster cluster;
  private Nemesis nemesis;

  @BeforeEach
  void start() {
    cluster = new TestCluster(dir);
    nemesis = Nemeses.create(List.of(Family.MIX), cluster, 5);
    nemesis.setup();
  }

  @AfterEach
  void stop() throws IOException {
    try {
      nemesis.teardown();
    } finally {
      cluster.close();
    }
  }



  private Fault fault(String link, Direction d) {
    return cluster.link(link).faults().fault(d);
  }

  @Test
  void oneWayCutsAcksButLetsEntriesFlow() {
    nemesis.invoke(op("start-one-way", "direction", "acks"));
    assertInstanceOf(Fault.Cut.class, fault("n1-n2", Direction.UPSTREAM));
    assertInstanceOf(Fault.Pass.class, fault("n1-n2", Direction.DOWNSTREAM));
    nemesis.invoke(op("stop-one-way"));
    assertInstanceOf(Fault.Pass.class, fault("n1-n2", Direction.UPSTREAM));
  }

  @Test
  void oneWayCutsThePrimarysRepliesOnly() {
    nemesis.invoke(op("start-one-way", "direction", "replies"));
    assertInstanceOf(Fault.Cut.class, fault("client-n1", Direction.DOWNSTREAM));
    assertInstanceOf(Fault.Pass.class, fault("client-n1", Direction.UPSTREAM));
    assertInstanceOf(Fault.Pass.class, fault("client-n2", Direction.DOWNSTREAM));
    nemesis.invoke(op("stop-one-way"));
    assertInstanceOf(Fault.Pass.class, fault("client-n1", Direction.DOWNSTREAM));
  }

  @Test
  void overlappingLinkFaultsHealIndependently() {
    nemesis.invoke(op("start-partition", "target", "primary"));
    nemesis.invoke(op("start-one-way", "direction", "entries"));
    nemesis.invoke(op("stop-one-way"));
    assertInstanceOf(Fault.Cut.class, fault("n1-n2", Direction.DOWNSTREAM), "the partition still holds");
    nemesis.invoke(op("start-slow", "delay-ms", 20L, "jitter-ms", 5L, "pause-ms", 100L, "run-ms", 100L));
    assertInstanceOf(Fault.Cut.class, fault("n1-n2", Direction.UPSTREAM), "a cut outranks a delay");
    nemesis.invoke(op("stop-partition"));
    assertInstanceOf(Fault.Delay.class, fault("n1-n2", Direction.UPSTREAM), "the slow link shows again");
    nemesis.invoke(op("stop-slow"));
    assertInstanceOf(Fault.Pass.class, fault("n1-n2", Direction.UPSTREAM));
  }

  @Test
  void flakyAndResetFaultTheTargetsLinksOfOneKind() {
    nemesis.invoke(op("start-flaky", "mode", "reset", "link", "zookeeper", "target", "backup"));
    assertInstanceOf(Fault.Reset.class, fault("n2-z1", Direction.UPSTREAM));
    assertInstanceOf(Fault.Pass.class, fault("n1-z1", Direction.UPSTREAM));
    nemesis.invoke(op("stop-flaky"));
    nemesis.invoke(op("start-flaky", "mode", "flaky", "link", "logging", "target", "primary", "resets-per-s", 0.5));
    assertInstanceOf(Fault.Flaky.class, fault("n1-n2", Direction.DOWNSTREAM));
    nemesis.invoke(op("stop-flaky"));
    assertInstanceOf(Fault.Pass.class, fault("n1-n2", Direction.DOWNSTREAM));
  }

  @Test
  void killKeepsACopyUnlessDoubleFailuresAreAllowed() {
    cluster.unjoined.add("n2");
    NemesisOp done = nemesis.invoke(op("start-kill", "target", "primary"));
    assertEquals(List.of(), get(done, "nodes"));
    assertEquals(List.of("n1"), get(done, "spared"));
    assertTrue(cluster.process("n1").isAlive());
    nemesis.invoke(op("stop-kill"));

    Nemesis doubles = Nemeses.create(List.of(Family.KILL, Family.DOUBLE_FAILURE), cluster, 5);
    doubles.setup();
    try {
      NemesisOp killed = doubles.invoke(op("start-kill", "target", "primary"));
      assertEquals(List.of("n1"), get(killed, "nodes"));
      assertEquals(List.of("n1"), get(killed, "only-copy"));
      assertFalse(cluster.process("n1").isAlive());
    } finally {
      doubles.teardown();
    }
    assertTrue(cluster.process("n1").isAlive());
  }

  @Test
  void pauseNeverTakesTheOnlyCopyButPausesAJoinedPair() {
    cluster.unjoined.add("n2");
    NemesisOp done = nemesis.invoke(op("start-pause", "target", "all"));
    assertEquals(List.of("n2"), get(done, "nodes"));
    assertEquals(List.of("n1"), get(done, "spared"));
    nemesis.invoke(op("stop-pause"));
    cluster.unjoined.clear();
    assertEquals(List.of("n1", "n2"), get(nemesis.invoke(op("start-pause", "target", "all")), "nodes"));
    nemesis.invoke(op("stop-pause"));
  }

  @Test
  void catchUpDutyCyclesTheBackupThenKillsThePrimaryAtStop() {
    nemesis.invoke(op("start-catch-up", "pause-ms", 100L, "run-ms", 50L, "kill-after-ms", 10L, "then", "kill-primary"));
    await().atMost(WAIT_MAX).until(() -> TestCluster.state(cluster.process("n2")) == 'T');
    NemesisOp done = nemesis.invoke(op("stop-catch-up"));
    assertEquals(List.of("n1"), get(done, "killed"));
    assertFalse(cluster.process("n1").isAlive());
    assertNotEquals('T', TestCluster.state(cluster.process("n2")));
  }

  @Test
  void catchUpWhilePausedKillsThePrimaryBeforeTheBackupResumes() throws Exception {
    nemesis.invoke(op("start-catch-up", "pause-ms", 100L, "run-ms", 50L, "kill-after-ms", 2_000L, "then", "kill-primary",
        "kill", "while-paused"));
    java.util.concurrent.CompletableFuture<NemesisOp> stop =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> nemesis.invoke(op("stop-catch-up")));
    // the primary is dead while the backup is still stopped, then the backup runs again
    await().atMost(WAIT_MAX).until(() -> !cluster.process("n1").isAlive());
    assertEquals('T', TestCluster.state(cluster.process("n2")));
    NemesisOp done = stop.get(WAIT_MAX.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    assertEquals(List.of("n1"), get(done, "killed"));
    assertNotEquals('T', TestCluster.state(cluster.process("n2")));
  }

  @Test
  void joinRestartsTheBackupAndCutsTheLinkMidJoin() {
    long pid = cluster.process("n2").pid();
    NemesisOp done = nemesis.invoke(op("start-join", "action", "cut-link", "delay-ms", 10L));
    assertEquals(List.of("n2"), get(done, "killed"));
    assertTrue(cluster.process("n2").isAlive());
    assertNotEquals(pid, cluster.process("n2").pid());
    assertInstanceOf(Fault.Cut.class, fault("n1-n2", Direction.UPSTREAM));
    nemesis.invoke(op("stop-join"));
    assertInstanceOf(Fault.Pass.class, fault("n1-n2", Direction.UPSTREAM));
  }

  @Test
  void joinKillOfThePrimaryBeforeTheBackupJoinedIsSpared() {
    cluster.unjoined.add("n2"); // the restarted backup has not finished its join yet
    NemesisOp done = nemesis.invoke(op("start-join", "action", "kill-primary", "delay-ms", 10L));
    assertTrue(cluster.process("n1").isAlive());
    assertEquals(List.of("n1"), get(done, "spared"));
    nemesis.invoke(op("stop-join"));
  }

  @Test
  void coordinationExpireRefusesThePrimarysZookeeperLinks() {
    nemesis.invoke(op("start-coordination", "mode", "expire", "delay-ms", 0L));
    assertInstanceOf(Fault.Reset.class, fault("n1-z3", Direction.UPSTREAM));
    assertInstanceOf(Fault.Pass.class, fault("n2-z3", Direction.UPSTREAM));
    nemesis.invoke(op("stop-coordination"));
    assertInstanceOf(Fault.Pass.class, fault("n1-z3", Direction.UPSTREAM));
    nemesis.invoke(op("start-coordination", "mode", "pause-epoch", "delay-ms", 0L));
    assertEquals('T', TestCluster.state(cluster.process("n1")));
    nemesis.invoke(op("stop-coordination"));
    assertNotEquals('T', TestCluster.state(cluster.process("n1")));
  }

  @Test
  void clockStormMovesEachNodesClockOnItsOwnAndStopResetsThem() {
    nemesis.invoke(op("start-clock-storm", "mode", "drift", "period-ms", 20L, "jump-ms", 100L, "drift-ms-per-s", 100L));
    await().atMost(WAIT_MAX).until(() -> cluster.clock("n1").offsetNanos() != 0 && cluster.clock("n2").offsetNanos() != 0);
    nemesis.invoke(op("stop-clock-storm"));
    assertEquals(0, cluster.clock("n1").offsetNanos());
    nemesis.invoke(op("start-clock-storm", "mode", "jumps", "period-ms", 20L, "jump-ms", 100L, "drift-ms-per-s", 1L));
    await().atMost(WAIT_MAX).until(() -> cluster.clock("n1").offsetNanos() != cluster.clock("n2").offsetNanos());
    nemesis.invoke(op("stop-clock-storm"));
    assertEquals(0, cluster.clock("n2").offsetNanos());
  }

  @Test
  void badValuesAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> nemesis.invoke(op("start-one-way", "direction", "sideways")));
    assertTrue(e.getMessage().contains("sideways"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> nemesis.invoke(op("start-flaky", "mode", "flaky", "link", "carrier-pigeon", "target", "primary")));
    assertTrue(e.getMessage().contains("carrier-pigeon"), e.getMessage());
  }

  @Test
  void teardownHealsEveryNewFamily() {
    nemesis.invoke(op("start-one-way", "direction", "requests"));
    nemesis.invoke(op("start-flaky", "mode", "reset", "link", "client", "target", "primary"));
    nemesis.invoke(op("start-clock-storm", "mode", "jumps", "period-ms", 20L, "jump-ms", 100L, "drift-ms-per-s", 1L));
    nemesis.invoke(op("start-coordination", "mode", "pause-epoch", "delay-ms", 0L));
    nemesis.teardown();
    for (Link l : cluster.links()) {
      for (Direction d : Direction.values()) {
        assertInstanceOf(Fault.Pass.class, l.faults().fault(d), l.name());
      }
    }
    assertEquals(0, cluster.clock("n1").offsetNanos());
    assertNotEquals('T', TestCluster.state(cluster.process("n1")));
    nemesis.setup();
  }
}
