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

class EpochAuditTest {

  private static Result check(List<NodeEvent> events) {
    return OutputContinuityCheckerTest.check(events, OutputContinuityCheckerTest.replayed(2, 3, 4, 5));
  }

  private static List<NodeEvent> failoverAnd(NodeEvent... more) {
    List<NodeEvent> events = new ArrayList<>(OutputContinuityCheckerTest.failover(6));
    events.addAll(List.of(more));
    return events;
  }

  @Test
  void theFailoverRunPassesEveryEpochAudit() {
    Result r = check(failoverAnd(new NodeEvent.StateHash("n2", 1, NodeEvent.RoleChange.BACKUP, 90_000, "ab")));
    assertEquals(Verdict.TRUE, r.verdict(), r.evidence().toString());
  }

  @Test
  void outputsOfAnEpochTheNodeNeverWonAreOneFindingWithTheirCount() {
    Result r = check(failoverAnd(new NodeEvent.Output("n1", 2, 30, 7, 30, "x", 3000, false),
        new NodeEvent.Output("n1", 2, 31, 7, 31, "y", 3100, false)));
    assertEquals(Verdict.FALSE, r.verdict());
    List<?> found = (List<?>) r.evidence().get("primary-without-a-won-go-live");
    assertEquals(1, found.size(), found.toString());
    Map<?, ?> f = (Map<?, ?>) found.get(0);
    assertEquals("n1", f.get("node"));
    assertEquals(2L, f.get("epoch"));
    assertEquals(30L, f.get("outSeq"));
    assertEquals(2, f.get("outputs"));
  }

  @Test
  void aNodeActingInAnOlderEpochIsFound() {
    Result r = check(failoverAnd(new NodeEvent.RoleChange("n2", 1, NodeEvent.RoleChange.BACKUP, 3000)));
    assertEquals(Verdict.FALSE, r.verdict());
    List<?> found = (List<?>) r.evidence().get("epochs-going-back");
    assertEquals(Map.of("node", "n2", "epoch-before", 2L, "epoch", 1L, "record", "role", "time-ns", 3000L), found.get(0));
  }

  @Test
  void oneNodeWinningAnEpochTwiceIsTwoWins() {
    Result r = check(failoverAnd(new NodeEvent.GoLive("n2", 2, NodeEvent.GoLive.WON, 4000)));
    assertEquals(Verdict.FALSE, r.verdict());
    assertEquals(List.of(Map.of("epoch", 2L, "winners", List.of("n2", "n2"))), r.evidence().get("epochs-with-two-winners"));
    assertTrue(((List<?>) r.evidence().get("epochs-going-back")).isEmpty());
  }
}
