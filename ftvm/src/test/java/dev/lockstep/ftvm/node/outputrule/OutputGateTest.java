package dev.lockstep.ftvm.node.outputrule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputGateTest {

  private final List<String> released = new ArrayList<>();

  private OutputGate<String> gate(OutputGate.Mode mode, int max, boolean skip) {
    return new OutputGate<>(mode, r -> released.add(r.output() + (r.acked() ? "+" : "-")), max, skip);
  }

  @Test
  void withBackupReleasesOnlyAckedEntriesInOrder() {
    OutputGate<String> g = gate(OutputGate.Mode.WITH_BACKUP, 10, false);
    g.offer(3, "a");
    g.offer(7, "b");
    g.offer(9, "c");
    assertEquals(List.of(), released);
    g.acked(6);
    assertEquals(List.of("a+"), released);
    g.acked(5);
    assertEquals(List.of("a+"), released);
    g.acked(9);
    assertEquals(List.of("a+", "b+", "c+"), released);
    g.offer(10, "d");
    assertEquals(3, released.size());
  }

  @Test
  void aBurstEndsOnceWithEverythingItReleased() {
    List<String> events = new ArrayList<>();
    OutputGate<String> g = burstRecording(OutputGate.Mode.WITH_BACKUP, events);
    g.offer(1, "a");
    g.offer(2, "b");
    g.offer(3, "c");
    g.acked(2);
    g.acked(3);
    assertEquals(List.of("a", "b", "|", "c", "|"), events);
  }

  @Test
  void outputsReleasedAsTheyAreOfferedEndTheirBurstWhenTheOffererSaysSo() {
    List<String> events = new ArrayList<>();
    OutputGate<String> g = burstRecording(OutputGate.Mode.ALONE, events);
    g.offer(1, "a");
    g.offer(2, "b");
    assertEquals(List.of("a", "b"), events, "released at once, the burst still open");
    g.offersDone();
    assertEquals(List.of("a", "b", "|"), events);
  }

  /** A gate whose releaser records each output released and, as "|", each end of a burst. */
  private static OutputGate<String> burstRecording(OutputGate.Mode mode, List<String> events) {
    return new OutputGate<>(mode, new OutputGate.Releaser<>() {
      @Override
      public void release(OutputGate.Release<String> r) {
        events.add(r.output());
      }

      @Override
      public void burstDone() {
        events.add("|");
      }
    }, 10, false);
  }

  @Test
  void aloneReleasesAtOnceButWaitsWhileZooKeeperIsSuspended() {
    OutputGate<String> g = gate(OutputGate.Mode.ALONE, 10, false);
    g.offer(1, "a");
    g.zkConnected(false);
    g.offer(2, "b");
    assertEquals(List.of("a-"), released);
    g.zkConnected(true);
    assertEquals(List.of("a-", "b-"), released);
  }

  @Test
  void withoutZooKeeperAnAckingBackupStillLetsAckedOutputsLeave() {
    OutputGate<String> g = gate(OutputGate.Mode.WITH_BACKUP, 10, false);
    g.offer(1, "a");
    g.offer(2, "b");
    g.zkConnected(false);
    g.acked(1);
    assertEquals(List.of("a+"), released, "the backup's ack is the word a primary with a backup needs");
    g.mode(OutputGate.Mode.ALONE);
    assertEquals(List.of("a+"), released, "alone without ZooKeeper: held");
    g.zkConnected(true);
    assertEquals(List.of("a+", "b-"), released);
  }

  @Test
  void heldReleasesNothingEvenWhenAcked() {
    OutputGate<String> g = gate(OutputGate.Mode.WITH_BACKUP, 10, false);
    g.offer(1, "a");
    g.mode(OutputGate.Mode.HELD);
    g.acked(5);
    assertEquals(List.of(), released);
    assertEquals(1, g.discard());
    g.mode(OutputGate.Mode.ALONE);
    assertEquals(List.of(), released);
  }

  @Test
  void fullQueueRefusesUntilAcked() {
    OutputGate<String> g = gate(OutputGate.Mode.WITH_BACKUP, 2, false);
    assertTrue(g.offer(1, "a"));
    assertTrue(g.offer(2, "b"));
    assertFalse(g.offer(3, "c"));
    g.acked(1);
    assertTrue(g.offer(3, "c"));
  }

  @Test
  void plantedSkipOutputRuleReleasesBeforeTheAck() {
    OutputGate<String> g = gate(OutputGate.Mode.WITH_BACKUP, 10, true);
    g.offer(1, "a");
    assertEquals(List.of("a-"), released);
  }

  @Test
  void anOfferDoesNotWaitForAReleaseInProgressAndOrderIsKept() throws Exception {
    java.util.concurrent.CountDownLatch inRelease = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch letGo = new java.util.concurrent.CountDownLatch(1);
    List<Long> order = java.util.Collections.synchronizedList(new ArrayList<>());
    OutputGate<String> g = new OutputGate<>(OutputGate.Mode.WITH_BACKUP, r -> {
      order.add(r.seq());
      if (r.seq() == 1) {
        inRelease.countDown();
        try {
          letGo.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, 10, false);
    g.offer(1, "a");
    Thread acker = new Thread(() -> g.acked(1));
    acker.start();
    assertTrue(inRelease.await(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(1, g.pendingCount(), "the output being released still counts as pending");
    assertTrue(g.offer(2, "b"), "the offer returns while the release of 1 is in progress");
    g.acked(2);
    assertEquals(List.of(1L), order, "2 waits for the releasing thread, which owns the order");
    letGo.countDown();
    acker.join(10_000);
    assertEquals(List.of(1L, 2L), order, "the releasing thread released 2 before it stopped");
    assertEquals(0, g.pendingCount());
  }

  /** Each release carries the gate's word as decided: the ack then, the mode, ZooKeeper's standing. */
  @Test
  void aReleaseCarriesTheAckAndTheModeItWasDecidedUnder() {
    List<OutputGate.Release<String>> seen = new ArrayList<>();
    OutputGate<String> g = new OutputGate<>(OutputGate.Mode.WITH_BACKUP, seen::add, 10, false);
    g.offer(3, "a");
    g.offer(5, "b");
    g.acked(4);
    g.mode(OutputGate.Mode.ALONE);
    assertEquals(List.of(new OutputGate.Release<>(3, "a", true, 4, OutputGate.Mode.WITH_BACKUP, true),
        new OutputGate.Release<>(5, "b", false, 4, OutputGate.Mode.ALONE, true)), seen);
  }
}
