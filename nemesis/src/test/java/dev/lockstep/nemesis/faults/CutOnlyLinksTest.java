package dev.lockstep.nemesis.faults;

import static dev.lockstep.nemesis.faults.Ops.get;
import static dev.lockstep.nemesis.faults.Ops.op;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.nemesis.Link;
import dev.lockstep.nemesis.Nemesis;
import dev.lockstep.nemesis.NemesisException;
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

/**
 * The families on links that make only cuts and resets (iptables in network namespaces, {@code --net
 * netns}): partitions and one-way cuts name what they cut, slow keeps its pauses and says the delay was
 * skipped, flaky links are refused before any link changes, resets work.
 */
class CutOnlyLinksTest {
  private static final Duration WAIT_MAX = Duration.ofSeconds(10);

  @TempDir Path dir;
  private TestCluster cluster;
  private Nemesis nemesis;

  @BeforeEach
  void start() {
    cluster = new TestCluster(dir, true);
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
  void partitionAndOneWayNameTheLinksTheyCut() {
    NemesisOp done = nemesis.invoke(op("start-partition", "target", "primary"));
    assertEquals(List.of("n1-n2", "n1-z1", "n1-z2", "n1-z3"), get(done, "cut"));
    assertInstanceOf(Fault.Cut.class, fault("n1-z1", Direction.DOWNSTREAM));
    nemesis.invoke(op("stop-partition"));
    done = nemesis.invoke(op("start-one-way", "direction", "replies"));
    assertEquals(List.of("client-n1 downstream"), get(done, "cut"));
    nemesis.invoke(op("stop-one-way"));
    for (Link l : cluster.links()) {
      assertInstanceOf(Fault.Pass.class, l.faults().fault(Direction.DOWNSTREAM), l.name());
    }
  }

  @Test
  void slowPausesTheBackupAndSaysTheDelayWasSkipped() {
    NemesisOp done = nemesis.invoke(op("start-slow", "delay-ms", 20L, "jitter-ms", 5L, "pause-ms", 200L, "run-ms", 50L));
    assertTrue(String.valueOf(get(done, "delay")).startsWith("skipped"), done.toString());
    assertInstanceOf(Fault.Pass.class, fault("n1-n2", Direction.UPSTREAM), "no delay was set");
    await().atMost(WAIT_MAX).until(() -> TestCluster.state(cluster.process("n2")) == 'T');
    nemesis.invoke(op("stop-slow"));
    await().atMost(WAIT_MAX).until(() -> TestCluster.state(cluster.process("n2")) != 'T');
  }

  @Test
  void flakyIsRefusedBeforeAnyLinkChangesAndResetWorks() {
    NemesisException e = assertThrows(NemesisException.class, () -> nemesis.invoke(
        op("start-flaky", "mode", "flaky", "link", "zookeeper", "target", "all", "resets-per-s", 0.5)));
    assertTrue(e.getMessage().contains("--net netns"), e.getMessage());
    for (Link l : cluster.links()) {
      assertInstanceOf(Fault.Pass.class, l.faults().fault(Direction.UPSTREAM), l.name());
    }
    nemesis.invoke(op("start-flaky", "mode", "reset", "link", "zookeeper", "target", "backup"));
    assertInstanceOf(Fault.Reset.class, fault("n2-z1", Direction.UPSTREAM));
    nemesis.invoke(op("stop-flaky"));
    assertInstanceOf(Fault.Pass.class, fault("n2-z1", Direction.UPSTREAM));
  }
}
