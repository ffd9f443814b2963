package dev.lockstep.checkers.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.events.NodeEvent;
import dev.lockstep.histories.events.NodeEvent.Output;
import dev.lockstep.histories.events.NodeEvent.RoleChange;
import dev.lockstep.histories.events.NodeEvent.StateHash;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCheckersTest {

  private static CheckInput events(NodeEvent... events) {
    return new CheckInput(List.of(), List.of(events));
  }

  private static Output out(String node, long epoch, long outSeq, long client, long req, String hash, long time, boolean acked) {
    return new Output(node, epoch, outSeq, client, req, hash, time, acked);
  }

  @Test
  void retransmittedIdenticalOutputIsNoDuplicate() {
    Result r = new DuplicateOutputChecker().check(events(
        out("a", 1, 7, 3, 1, "aa", 10, true),
        out("b", 2, 7, 3, 1, "aa", 50, false)));
    assertEquals(Verdict.TRUE, r.verdict(), r.toString());
  }

  @Test
  void oneRequestWithTwoOutSeqsTookEffectTwice() {
    Result r = new DuplicateOutputChecker().check(events(
        out("a", 1, 7, 3, 1, "aa", 10, true),
        out("b", 2, 9, 3, 1, "bb", 50, false)));
    assertEquals(Verdict.FALSE, r.verdict());
    List<?> found = (List<?>) r.evidence().get("requests-with-two-effects");
    assertEquals(Map.of("7", 1, "9", 1), ((Map<?, ?>) found.get(0)).get("outSeq-counts"));
  }

  @Test
  void oneOutSeqWithTwoByteHashesIsInvalid() {
    Result r = new DuplicateOutputChecker().check(events(
        out("a", 1, 7, 3, 1, "aa", 10, true),
        out("b", 2, 7, 3, 1, "ab", 50, false)));
    assertEquals(Verdict.FALSE, r.verdict());
    assertEquals(1, ((List<?>) r.evidence().get("out-seqs-with-two-byte-hashes")).size());
  }

  @Test
  void listAppendReadWithAnElementTwiceIsADuplicate() {
    List<Op> history = List.of(
        new Op(0, Op.Type.INVOKE, "read", null, 1L, 0, null, "k", null),
        new Op(1, Op.Type.OK, "read", List.of(1L, 2L, 1L), 1L, 5, null, "k", null));
    Result r = new DuplicateOutputChecker().check(CheckInput.ofHistory(history));
    assertEquals(Verdict.FALSE, r.verdict());
    Map<?, ?> first = (Map<?, ?>) ((List<?>) r.evidence().get("duplicated-appends")).get(0);
    assertEquals(2, first.get("count"));
    assertEquals(1L, first.get("element"));
  }

  @Test
  void equalHashesDoNotDiverge() {
    Result r = new DivergenceChecker().check(events(
        new StateHash("a", 100, "x"), new StateHash("b", 100, "x"), new StateHash("a", 200, "y")));
    assertEquals(Verdict.TRUE, r.verdict());
    assertEquals(1L, r.evidence().get("icounts-compared"));
  }

  @Test
  void firstDivergentIcountIsReportedWithBothHashes() {
    Result r = new DivergenceChecker().check(events(
        new StateHash("a", 100, "x"), new StateHash("a", 300, "p"), new StateHash("a", 200, "y"),
        new StateHash("b", 100, "x"), new StateHash("b", 300, "q"), new StateHash("b", 200, "z")));
    assertEquals(Verdict.FALSE, r.verdict());
    assertEquals(200L, r.evidence().get("first-divergent-icount"));
    assertEquals(Map.of("a", "y", "b", "z"), r.evidence().get("hashes"));
    assertEquals(null, r.evidence().get("epoch"), "a legacy log has no epoch to name");
  }

  @Test
  void aDivergenceABackupReportedIsInvalidEvenWhereEveryLoggedHashAgrees() {
    // the backup halted at an output that differed, before it logged a hash that would
    NodeEvent.Divergence halted = new NodeEvent.Divergence("b", 1, 160_331, "backup did NIC_TX at icount 160331", 900);
    Result r = new DivergenceChecker().check(events(
        hash("a", 1, "primary", 100, "x"), hash("b", 1, "backup", 100, "x"), halted));
    assertEquals(Verdict.FALSE, r.verdict());
    assertEquals(1, r.evidence().get("divergences-reported"));
    assertEquals(List.of(Map.of("node", "b", "epoch", 1L, "icount", 160_331L, "detail", halted.detail())),
        r.evidence().get("reported"));
    assertEquals(null, r.evidence().get("first-divergent-icount"), "no logged hashes differ");

    Result none = new DivergenceChecker().check(events(hash("a", 1, "primary", 100, "x"), hash("b", 1, "backup", 100, "x")));
    assertEquals(Verdict.TRUE, none.verdict());
    assertEquals(0, none.evidence().get("divergences-reported"));
  }

  private static StateHash hash(String node, long epoch, String role, long icount, String hash) {
    return new StateHash(node, epoch, role, icount, hash);
  }

  @Test
  void anOldPrimaryRunningOnPastAFailoverIsAnotherBranchNotADivergence() {
    Result r = new DivergenceChecker().check(events(
        hash("a", 1, "primary", 100, "x"), hash("b", 1, "backup", 100, "x"),
        hash("a", 1, "primary", 200, "y"), hash("b", 1, "backup", 200, "y"),
        // b went live in epoch 2 past icount 200; a, cut off, ran on in epoch 1 with other inputs
        hash("b", 2, "primary", 300, "p"), hash("a", 1, "primary", 300, "q"),
        hash("b", 2, "primary", 400, "r"), hash("a", 1, "primary", 400, "s"),
        // a restarted as b's backup: compared with b again, in epoch 2
        hash("b", 2, "primary", 500, "t"), hash("a", 2, "backup", 500, "t")));
    assertEquals(Verdict.TRUE, r.verdict(), r.toString());
    assertEquals(3L, r.evidence().get("icounts-compared"));
    assertEquals(2L, r.evidence().get("icounts-on-several-epochs"));
  }

  @Test
  void aBackupReplayingDifferentlyWithinItsEpochIsFlaggedAtTheFirstDifference() {
    Result r = new DivergenceChecker().check(events(
        hash("a", 1, "primary", 100, "x"), hash("b", 1, "backup", 100, "x"),
        hash("b", 2, "primary", 200, "p"), hash("a", 1, "primary", 200, "q"),
        hash("c", 2, "backup", 300, "m"), hash("b", 2, "primary", 300, "m"),
        hash("b", 2, "primary", 400, "u"), hash("c", 2, "backup", 400, "v"),
        hash("b", 2, "primary", 500, "w"), hash("c", 2, "backup", 500, "z")));
    assertEquals(Verdict.FALSE, r.verdict(), r.toString());
    assertEquals(400L, r.evidence().get("first-divergent-icount"));
    assertEquals(2L, r.evidence().get("epoch"));
    assertEquals(Map.of("b", "u", "c", "v"), r.evidence().get("hashes"));
    assertEquals(Map.of("b", "primary", "c", "backup"), r.evidence().get("roles"));
  }

  @Test
  void twoNodesClaimingOneEpochWithDifferentStatesDiverge() {
    Result r = new DivergenceChecker().check(events(
        hash("a", 3, "primary", 100, "x"), hash("b", 3, "primary", 100, "y")));
    assertEquals(Verdict.FALSE, r.verdict());
    assertEquals(Map.of("a", "x", "b", "y"), r.evidence().get("hashes"));
  }

  @Test
  void aHashWithoutEpochIsComparedWithEveryEpochAtItsIcount() {
    Result r = new DivergenceChecker().check(events(
        hash("a", 1, "primary", 100, "x"), hash("b", 2, "primary", 100, "y"), new StateHash("c", 100, "x")));
    assertEquals(Verdict.FALSE, r.verdict());
    assertEquals(2L, r.evidence().get("epoch"));
    assertEquals(Map.of("c", "x", "b", "y"), r.evidence().get("hashes"));
    assertEquals(1L, r.evidence().get("state-hashes-without-epoch"));
  }

  @Test
  void handOverBetweenEpochsIsNoSplitBrain() {
    Result r = new SplitBrainChecker().check(events(
        new RoleChange("a", 1, "primary", 0), out("a", 1, 1, 1, 1, "h", 10, true), out("a", 1, 2, 1, 2, "h", 20, false),
        new RoleChange("b", 2, "primary", 30), out("b", 2, 3, 1, 3, "h", 40, false)));
    assertEquals(Verdict.TRUE, r.verdict(), r.toString());
  }

  @Test
  void twoNodesReleasingInOneEpochIsSplitBrain() {
    Result r = new SplitBrainChecker().check(events(
        out("a", 1, 1, 1, 1, "h", 10, true), out("b", 1, 2, 1, 2, "h", 20, true)));
    assertEquals(Verdict.FALSE, r.verdict());
    assertEquals(List.of(Map.of("epoch", 1L, "nodes", List.of("a", "b"))), r.evidence().get("epochs-with-several-releasing-nodes"));
  }

  @Test
  void overlappingUnackedReleasesAreSplitBrainWithTheIntervals() {
    Result r = new SplitBrainChecker().check(events(
        out("a", 1, 1, 1, 1, "h", 10, false), out("a", 1, 4, 1, 4, "h", 60, false),
        out("b", 2, 2, 2, 1, "h", 30, false)));
    assertEquals(Verdict.FALSE, r.verdict());
    Map<?, ?> overlap = (Map<?, ?>) ((List<?>) r.evidence().get("overlapping-unacked-intervals")).get(0);
    assertEquals(10L, ((Map<?, ?>) overlap.get("a")).get("from"));
    assertEquals(60L, ((Map<?, ?>) overlap.get("a")).get("to"));
    assertEquals("b", ((Map<?, ?>) overlap.get("b")).get("node"));
  }

  @Test
  void epochGoingDownIsSplitBrain() {
    Result r = new SplitBrainChecker().check(events(
        new RoleChange("a", 3, "primary", 0), new RoleChange("a", 2, "primary", 10)));
    assertEquals(Verdict.FALSE, r.verdict());
    assertEquals(1, ((List<?>) r.evidence().get("epoch-drops")).size());
  }
}
