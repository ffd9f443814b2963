package dev.lockstep.checkers.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.events.NodeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AckAuditTest {

  /**
   * The failover run with one more release of n1's in epoch 1 (outSeq 1 again: a cached reply, below
   * what the new primary replayed), logged with the gate's word.
   */
  private static Result withRelease(long entrySeq, long ackedSeq, String standing) {
    List<NodeEvent> events = new ArrayList<>(OutputContinuityCheckerTest.failover(6));
    events.add(new NodeEvent.Output("n1", 1, 1, 7, 19, "h1", 300, true,
        new NodeEvent.Release(entrySeq, 77_000, ackedSeq, standing)));
    return OutputContinuityCheckerTest.check(events, OutputContinuityCheckerTest.replayed(2, 3, 4, 5));
  }

  private static List<?> pastTheAck(Result r) {
    return (List<?>) r.evidence().get("released-past-the-ack");
  }

  @Test
  void aReleaseWithABackupCoveredByTheAckIsValid() {
    Result r = withRelease(40, 40, NodeEvent.Release.WITH_BACKUP);
    assertEquals(Verdict.TRUE, r.verdict(), r.evidence().toString());
    assertTrue(pastTheAck(r).isEmpty());
    assertEquals(Map.of(), r.evidence().get("findings"));
  }

  @Test
  void aReleaseWithABackupOneEntryPastTheAckIsNamedWithItsEntryAndRequest() {
    Result r = withRelease(41, 40, NodeEvent.Release.WITH_BACKUP);
    assertEquals(Verdict.FALSE, r.verdict());
    Map<?, ?> f = (Map<?, ?>) pastTheAck(r).get(0);
    assertEquals("n1", f.get("node"));
    assertEquals(1L, f.get("epoch"));
    assertEquals(1L, f.get("outSeq"));
    assertEquals(77_000L, f.get("icount"));
    assertEquals(7L, f.get("clientId"));
    assertEquals(19L, f.get("reqSeq"));
    assertEquals(41L, f.get("entrySeq"));
    assertEquals(40L, f.get("ackedSeq"));
    assertEquals("with-backup", f.get("gate"));
    assertEquals(Map.of("released-past-the-ack", 1), r.evidence().get("findings"));
  }

  @Test
  void aPrimaryAloneNeedsZooKeepersWordAndAHeldGateReleasesNothing() {
    assertEquals(Verdict.TRUE, withRelease(41, 0, NodeEvent.Release.ALONE).verdict());
    assertEquals(1, pastTheAck(withRelease(41, 0, NodeEvent.Release.ALONE_WITHOUT_ZK)).size());
    assertEquals(1, pastTheAck(withRelease(41, 0, NodeEvent.Release.HELD)).size());
  }

  @Test
  void releasesFromALogWithoutTheGatesWordAreSkippedNotFailed() {
    Result r = OutputContinuityCheckerTest.check(OutputContinuityCheckerTest.failover(6),
        OutputContinuityCheckerTest.replayed(2, 3, 4, 5));
    assertEquals(Verdict.TRUE, r.verdict());
    assertTrue(((String) r.evidence().get("ack-audit")).startsWith("0 of 6 releases audited; skipped"),
        r.evidence().get("ack-audit").toString());
    assertTrue(withRelease(40, 40, NodeEvent.Release.WITH_BACKUP).evidence().get("ack-audit").toString()
        .startsWith("1 of 7 releases audited"));
    NodeEvent.Output alone = new NodeEvent.Output("n1", 1, 1, 7, 1, "h1", 10, false,
        new NodeEvent.Release(1, 500, 0, NodeEvent.Release.ALONE));
    List<NodeEvent> events = List.of(new NodeEvent.GoLive("n1", 1, NodeEvent.GoLive.WON, 0), alone);
    assertEquals("all 1 releases audited",
        OutputContinuityCheckerTest.check(events, List.of()).evidence().get("ack-audit"));
  }
}
