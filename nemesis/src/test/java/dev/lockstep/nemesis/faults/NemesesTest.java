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
import dev.lockstep.nemesis.NanoClock;
import dev.lockstep.nemesis.proxy.Direction;
import dev.lockstep.nemesis.proxy.Fault;
import dev.lockstep.nemesis.schedule.Family;
import dev.lockstep.nemesis.schedule.Schedule;
import dev.lockstep.nemesis.schedule.ScheduleRunner;
import dev.lockstep.nemesis.schedule.ScheduleSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NemesesTest {
  private static final Duration WAIT_MAX = Duration.ofSeconds(10);

  @TempDir Path dir;
  private TestCluster cluster;
  private Nemesis nemesis;

  @BeforeEach
  void start() {
    cluster = new TestCluster(dir);
    nemesis = Nemeses.create(List.of(Family.MIX), cluster, 99);
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

  private static Object nodes(NemesisOp done) {
    return get(done, "nodes");
  }

  private void assertAllLinksPass() {
    for (Link l : cluster.links()) {
      for (Direction d : Direction.values()) {
        assertInstanceOf(Fault.Pass.class, l.faults().fault(d), l.name() + " " + d);
      }
    }
  }

  private void assertAllHealthy() {
    assertAllLinksPass();
    for (String id : TestCluster.NODES) {
      assertTrue(cluster.process(id).isAlive(), id);
      assertFalse(cluster.process(id).isPaused(), id);
      assertEquals(0, cluster.clock(id).offsetNanos(), id);
    }
    for (String id : TestCluster.ZK) {
      assertTrue(cluster.process(id).isAlive(), id);
      assertFalse(cluster.process(id).isPaused(), id);
    }
  }

  @Test
  void partitionOfThePrimaryCutsItsClusterLinksButNotItsClients() {
    NemesisOp done = nemesis.invoke(op("start-partition", "target", "primary"));
    assertEquals(List.of("n1"), nodes(done));
    assertInstanceOf(Fault.Cut.class, cluster.link("n1-n2").faults().fault(Direction.UPSTREAM));
    assertInstanceOf(Fault.Cut.class, cluster.link("n1-n2").faults().fault(Direction.DOWNSTREAM));
    assertInstanceOf(Fault.Cut.class, cluster.link("n1-z2").faults().fault(Direction.UPSTREAM));
    assertInstanceOf(Fault.Pass.class, cluster.link("n2-z2").faults().fault(Direction.UPSTREAM));
    assertInstanceOf(Fault.Pass.class, cluster.link("client-n1").faults().fault(Direction.UPSTREAM));
    nemesis.invoke(op("stop-partition", "target", "primary"));
    assertAllLinksPass();
  }

  @Test
  void partitionOfThePeerLinkCutsOnlyTheLoggingChannelBothWays() {
    NemesisOp done = nemesis.invoke(op("start-partition", "target", "peer"));
    assertEquals(List.of("n1", "n2"), nodes(done));
    for (Link l : cluster.links()) {
      Class<?> expected = l.kind() == Link.Kind.LOGGING ? Fault.Cut.class : Fault.Pass.class;
      assertInstanceOf(expected, l.faults().fault(Direction.UPSTREAM), l.name());
      assertInstanceOf(expected, l.faults().fault(Direction.DOWNSTREAM), l.name());
    }
    nemesis.invoke(op("stop-partition", "target", "peer"));
    assertAllLinksPass();
  }

  @Test
  void partitionOfZookeeperCutsEveryZookeeperLink() {
    NemesisOp done = nemesis.invoke(op("start-partition", "target", "zk"));
    assertEquals(TestCluster.ZK, nodes(done));
    for (Link l : cluster.links()) {
      Class<?> expected = l.kind() == Link.Kind.ZOOKEEPER ? Fault.Cut.class : Fault.Pass.class;
      assertInstanceOf(expected, l.faults().fault(Direction.DOWNSTREAM), l.name());
    }
    nemesis.invoke(op("stop-partition", "target", "zk"));
    assertAllLinksPass();
  }

  @Test
  void killTakesTheBackupDownAndStopRestartsIt() {
    long pid = cluster.process("n2").pid();
    NemesisOp done = nemesis.invoke(op("start-kill", "target", "backup"));
    assertEquals(List.of("n2"), nodes(done));
    assertFalse(cluster.process("n2").isAlive());
    assertTrue(cluster.process("n1").isAlive());
    nemesis.invoke(op("stop-kill", "target", "backup"));
    assertTrue(cluster.process("n2").isAlive());
    assertNotEquals(pid, cluster.process("n2").pid());
  }

  @Test
  void pauseStopsAllNodesAndStopContinuesThem() {
    nemesis.invoke(op("start-pause", "target", "all"));
    for (String n : TestCluster.NODES) {
      assertEquals('T', TestCluster.state(cluster.process(n)), n);
    }
    nemesis.invoke(op("stop-pause", "target", "all"));
    for (String n : TestCluster.NODES) {
      assertNotEquals('T', TestCluster.state(cluster.process(n)), n);
    }
  }

  @Test
  void slowDelaysTheLoggingChannelAndDutyCyclesTheBackup() {
    nemesis.invoke(op("start-slow", "target", "backup", "delay-ms", 50L, "jitter-ms", 10L, "pause-ms", 100L, "run-ms", 100L));
    assertInstanceOf(Fault.Delay.class, cluster.link("n1-n2").faults().fault(Direction.UPSTREAM));
    assertInstanceOf(Fault.Pass.class, cluster.link("client-n1").faults().fault(Direction.UPSTREAM));
    await().atMost(WAIT_MAX).until(() -> TestCluster.state(cluster.process("n2")) == 'T');
    await().atMost(WAIT_MAX).until(() -> TestCluster.state(cluster.process("n2")) != 'T');
    await().atMost(WAIT_MAX).until(() -> TestCluster.state(cluster.process("n2")) == 'T');
    assertNotEquals('T', TestCluster.state(cluster.process("n1")));
    nemesis.invoke(op("stop-slow"));
    await().during(Duration.ofMillis(300)).atMost(WAIT_MAX).until(() -> TestCluster.state(cluster.process("n2")) != 'T');
    assertAllHealthy();
  }

  @Test
  void clockShiftsOffsetsAndStopResetsThem() {
    nemesis.invoke(op("start-clock", "target", "all", "offset-ms", -2500L));
    for (String n : TestCluster.NODES) {
      assertEquals(-2_500_000_000L, cluster.clock(n).offsetNanos());
    }
    nemesis.invoke(op("stop-clock"));
    assertAllHealthy();
  }

  @Test
  void zkMinorityAndMajority() {
    NemesisOp one = nemesis.invoke(op("start-zk", "mode", "kill", "count", "minority"));
    assertEquals(1, ((List<?>) nodes(one)).size());
    assertEquals(2, TestCluster.ZK.stream().filter(z -> cluster.process(z).isAlive()).count());
    nemesis.invoke(op("stop-zk"));
    assertAllHealthy();

    NemesisOp two = nemesis.invoke(op("start-zk", "mode", "pause", "count", "majority"));
    assertEquals(2, ((List<?>) nodes(two)).size());
    assertEquals(2, TestCluster.ZK.stream().filter(z -> cluster.process(z).isPaused()).count());
    nemesis.invoke(op("stop-zk"));
    assertAllHealthy();
  }

  @Test
  void teardownHealsEverythingStillActive() {
    nemesis.invoke(op("start-partition", "target", "backup"));
    nemesis.invoke(op("start-kill", "target", "primary"));
    nemesis.invoke(op("start-pause", "target", "backup"));
    nemesis.invoke(op("start-clock", "target", "random-node", "offset-ms", 1000L));
    nemesis.invoke(op("start-zk", "mode", "kill", "count", "majority"));
    nemesis.teardown();
    assertAllHealthy();
    nemesis.teardown();
  }

  @Test
  void randomNodeChoicesFollowTheSeed() throws IOException {
    List<Object> first = randomNodeChoices(nemesis);
    Nemesis twin = Nemeses.create(List.of(Family.CLOCK), cluster, 99);
    twin.setup();
    List<Object> second = randomNodeChoices(twin);
    twin.teardown();
    assertEquals(first, second);
    assertTrue(first.contains(List.of("n1")) && first.contains(List.of("n2")), first.toString());
  }

  private static List<Object> randomNodeChoices(Nemesis n) {
    List<Object> chosen = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      chosen.add(nodes(n.invoke(op("start-clock", "target", "random-node", "offset-ms", 1L))));
      n.invoke(op("stop-clock"));
    }
    return chosen;
  }

  @Test
  void badOpsAreRejectedAndAStopWithoutStartIsANoOp() {
    assertThrows(IllegalArgumentException.class, () -> nemesis.invoke(op("start-meteor")));
    assertThrows(IllegalArgumentException.class, () -> nemesis.invoke(op("start-kill", "target", "everyone")));
    assertThrows(IllegalArgumentException.class, () -> nemesis.invoke(op("start-kill")));
    assertEquals(List.of(), nodes(nemesis.invoke(op("stop-kill"))));
    Nemesis killOnly = Nemeses.create(List.of(Family.KILL), cluster, 1);
    assertThrows(IllegalArgumentException.class, () -> killOnly.invoke(op("start-pause", "target", "all")));
  }

  @Test
  void aShortMixScheduleRunsAndEndsHealed() throws InterruptedException {
    ScheduleSpec spec =
        new ScheduleSpec(
            List.of(Family.MIX), 5, Duration.ofSeconds(3),
            Duration.ofMillis(50), Duration.ofMillis(150), Duration.ofMillis(100), Duration.ofMillis(300));
    Schedule schedule = Schedule.generate(spec);
    List<String> failures = new ArrayList<>();
    List<NemesisOp> completed = new ArrayList<>();
    ScheduleRunner.Listener listener =
        new ScheduleRunner.Listener() {
          @Override
          public void invoked(NemesisOp op) {}

          @Override
          public void completed(NemesisOp op) {
            completed.add(op);
          }

          @Override
          public void failed(NemesisOp op, RuntimeException error) {
            failures.add(op.f() + ": " + error);
          }
        };
    ScheduleRunner runner = new ScheduleRunner(nemesis, listener, NanoClock.SYSTEM, ScheduleRunner.Sleeper.THREAD);
    int ran = runner.run(schedule, NanoClock.SYSTEM.nanoTime());
    assertEquals(schedule.steps().size(), ran);
    assertTrue(ran >= 8, "only " + ran + " steps in 3 s");
    assertEquals(List.of(), failures);
    assertEquals(ran, completed.size());
    assertAllHealthy();
  }

  @Test
  void unknownIdsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cluster.process("n9"));
    assertTrue(e.getMessage().contains("'n9'"), e.getMessage());
  }

  @Test
  void healAllUndoesFaultsSetBehindTheNemesisBack() {
    cluster.link("n1-n2").faults().set(Direction.UPSTREAM, Fault.cut());
    cluster.process("z2").pause();
    cluster.process("n1").pause();
    cluster.clock("n2").set(123);
    Nemeses.healAll(cluster);
    assertAllHealthy();
  }
}
