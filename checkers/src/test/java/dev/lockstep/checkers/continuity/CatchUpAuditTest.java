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

class CatchUpAuditTest {

  /** The failover run, n2's catch-up logged between its win (900) and its primary role (1000). */
  private static Result withCatchUp(NodeEvent.CaughtUp c) {
    List<NodeEvent> events = new ArrayList<>(OutputContinuityCheckerTest.failover(6));
    if (c != null) {
      events.add(events.size() - 2, c);
    }
    return OutputContinuityCheckerTest.check(events, OutputContinuityCheckerTest.replayed(2, 3, 4, 5));
  }

  private static List<?> discarded(Result r) {
    return (List<?>) r.evidence().get("go-live-discarded-entries");
  }

  @Test
  void aGoLiveThatExecutedEveryReceivedAndAckedEntryIsValid() {
    Result r = withCatchUp(new NodeEvent.CaughtUp("n2", 1, 30, 30, 30, 0, 9_000, 950));
    assertEquals(Verdict.TRUE, r.verdict(), r.evidence().toString());
    assertEquals("all 1 go-lives audited", r.evidence().get("catch-up-audit"));
  }

  @Test
  void entriesLeftBehindAtGoLiveAreNamedWithTheCounts() {
    Result r = withCatchUp(new NodeEvent.CaughtUp("n2", 1, 30, 30, 27, 3, 9_000, 950));
    assertEquals(Verdict.FALSE, r.verdict());
    Map<?, ?> f = (Map<?, ?>) discarded(r).get(0);
    assertEquals("n2", f.get("node"));
    assertEquals(1L, f.get("epoch"));
    assertEquals(30L, f.get("receivedSeq"));
    assertEquals(30L, f.get("ackedSeq"));
    assertEquals(27L, f.get("executedSeq"));
    assertEquals(3L, f.get("discarded"));
  }

  @Test
  void anEntryAckedButNeverStoredIsAFindingToo() {
    Result r = withCatchUp(new NodeEvent.CaughtUp("n2", 1, 30, 34, 30, 0, 9_000, 950));
    assertEquals(Verdict.FALSE, r.verdict());
    assertEquals(1, discarded(r).size());
  }

  @Test
  void aGoLiveWithoutTheRecordIsSkippedAndNamedNotFailed() {
    Result r = withCatchUp(null);
    assertEquals(Verdict.TRUE, r.verdict(), r.evidence().toString());
    assertTrue(r.evidence().get("catch-up-audit").toString().startsWith("0 of 1 go-lives audited; skipped"));
    assertEquals(List.of(Map.of("node", "n2", "epoch", 2L)), r.evidence().get("go-lives-without-counts"));
    assertTrue(discarded(r).isEmpty());
  }
}
