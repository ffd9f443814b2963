package dev.lockstep.checkers.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.events.NodeEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputContinuityCheckerTest {
  @TempDir Path dir;

  /** n1 primary of epoch 1 releases outSeq 1..5; n2 joins as backup, replays from 2, goes live for epoch 2. */
  static List<NodeEvent> failover(long newOutSeq) {
    List<NodeEvent> events = new ArrayList<>();
    events.add(new NodeEvent.GoLive("n1", 1, NodeEvent.GoLive.WON, 0));
    events.add(new NodeEvent.RoleChange("n1", 1, NodeEvent.RoleChange.PRIMARY, 1));
    for (long seq = 1; seq <= 5; seq++) {
      events.add(out("n1", 1, seq, 100 + seq));
    }
    events.add(new NodeEvent.RoleChange("n2", 1, NodeEvent.RoleChange.BACKUP, 50));
    events.add(new NodeEvent.GoLive("n2", 2, NodeEvent.GoLive.WON, 900));
    events.add(new NodeEvent.RoleChange("n2", 2, NodeEvent.RoleChange.PRIMARY, 1000));
    events.add(new NodeEvent.Output("n2", 2, newOutSeq, 8, 1, "new" + newOutSeq, 2000, false));
    return events;
  }

  private static NodeEvent.Output out(String node, long epoch, long seq, long time) {
    return new NodeEvent.Output(node, epoch, seq, 7, seq, "h" + seq, time, true);
  }

  static List<Reproduced> replayed(long... seqs) {
    List<Reproduced> r = new ArrayList<>();
    for (long s : seqs) {
      r.add(new Reproduced("n2", 1, s, 7, s, "h" + s, 500 + s));
    }
    return r;
  }

  static Result check(List<NodeEvent> events, List<Reproduced> reproduced) {
    return new OutputContinuityChecker(reproduced).check(new CheckInput(List.of(), events));
  }

  @Test
  void aNewPrimaryThatReproducedEveryOutputFromItsFirstOnIsValid() {
    Result r = check(failover(6), replayed(2, 3, 4, 5));
    assertEquals(Verdict.TRUE, r.verdict(), r.evidence().toString());
    assertEquals(1, r.evidence().get("epoch-changes-checked"));
  }

  @Test
  void anOutputTheNewPrimaryNeverReachedIsNamedWithItsRequest() {
    Result r = check(failover(6), replayed(2, 3, 4));
    assertEquals(Verdict.FALSE, r.verdict());
    List<?> unreached = (List<?>) r.evidence().get("outputs-the-new-primary-never-reached");
    Map<?, ?> f = (Map<?, ?>) unreached.get(0);
    assertEquals(5L, f.get("outSeq"));
    assertEquals(1L, f.get("epoch"));
    assertEquals(5L, f.get("reqSeq"));
    assertEquals("n2", f.get("new-primary"));
  }

  @Test
  void newInputUnderAnOldOutSeqShowsAsOtherBytes() {
    Result r = check(failover(5), replayed(2, 3, 4));
    assertEquals(Verdict.FALSE, r.verdict());
    assertEquals(1, ((List<?>) r.evidence().get("outputs-produced-again-with-other-bytes")).size(), r.evidence().toString());
    assertTrue(((List<?>) r.evidence().get("outputs-the-new-primary-never-reached")).isEmpty());
  }

  @Test
  void anOutputTheNewPrimaryReleasedAgainInItsCatchUpCountsAsReproduced() {
    List<NodeEvent> events = new ArrayList<>(failover(6));
    events.add(new NodeEvent.Output("n2", 2, 5, 7, 5, "h5", 1500, false));
    Result r = check(events, replayed(2, 3, 4));
    assertEquals(Verdict.TRUE, r.verdict(), r.evidence().toString());
  }

  @Test
  void otherBytesUnderOneOutSeqAreFound() {
    List<Reproduced> r = new ArrayList<>(replayed(2, 3, 4));
    r.add(new Reproduced("n2", 1, 5, 7, 5, "other", 505));
    Result result = check(failover(6), r);
    assertEquals(1, ((List<?>) result.evidence().get("outputs-produced-again-with-other-bytes")).size());
  }

  @Test
  void goLiveAudits() {
    List<NodeEvent> events = new ArrayList<>(failover(6));
    events.add(new NodeEvent.RoleChange("n1", 3, NodeEvent.RoleChange.PRIMARY, 3000));
    events.add(new NodeEvent.GoLive("n1", 2, NodeEvent.GoLive.WON, 3100));
    Result r = check(events, replayed(2, 3, 4, 5));
    assertEquals(Verdict.FALSE, r.verdict());
    assertEquals(1, ((List<?>) r.evidence().get("primary-without-a-won-go-live")).size());
    assertEquals(List.of("n1", "n2"), ((Map<?, ?>) ((List<?>) r.evidence().get("epochs-with-two-winners")).get(0)).get("winners"));
  }

  @Test
  void aLogBufferCountingBytesOfAckedEntriesIsAnAuditFinding() throws IOException {
    Path notes = dir.resolve("buffer-notes.jsonl");
    Files.writeString(notes, """
        {"type":"primary-stats","node":"n1","time":10,"epoch":1,"backup":true,"unackedEntries":0,"unackedBytes":0}
        {"type":"primary-stats","node":"n1","time":20,"epoch":1,"backup":true,"unackedEntries":3,"unackedBytes":96}
        {"type":"primary-stats","node":"n1","time":30,"epoch":1,"backup":false,"unackedEntries":0,"unackedBytes":0}
        {"type":"primary-stats","node":"n1","time":40,"epoch":1,"backup":true,"entriesSent":4}
        {"type":"primary-stats","node":"n1","time":50,"epoch":2,"backup":true,"unackedEntries":0,"unackedBytes":4120}
        {"type":"primary-stats","node":"n1","time":60,"epoch":2,"backup":true,"unacked
        """);
    Result r = OutputContinuityChecker.fromNotes(List.of(notes, dir.resolve("absent.jsonl")))
        .check(new CheckInput(List.of(), failover(6)));
    assertEquals(Verdict.FALSE, r.verdict());
    List<?> found = (List<?>) r.evidence().get("log-buffer-miscounted");
    assertEquals(1, found.size(), r.evidence().toString());
    assertEquals(4120L, ((Map<?, ?>) found.get(0)).get("unackedBytes"));
    assertEquals("3 counts of a primary's log buffer audited", r.evidence().get("buffer-audit"));
  }

  @Test
  void anUnackedReleaseWhileABackupIsAttachedIsAnAuditFinding() throws IOException {
    List<NodeEvent> events = new ArrayList<>(failover(6));
    events.add(new NodeEvent.Output("n1", 1, 9, 7, 9, "h9", 3_000_000, false));
    events.add(new NodeEvent.Output("n1", 1, 10, 7, 10, "h10", 40, false)); // before the attach: alone
    Path notes = dir.resolve("notes.jsonl");
    Files.writeString(notes, """
        {"type":"backup-attached","node":"n1","time":50,"backup":"n2","epoch":1,"icount":3}
        {"type":"backup-lost","node":"n1","time":4000000,"epoch":1,"reason":"gone"}
        """);
    List<BackupSpan> spans = BackupSpan.read(notes);
    assertEquals(List.of(new BackupSpan("n1", 1, 50, 4_000_000, 3)), spans);
    Result r = new OutputContinuityChecker(replayed(2, 3, 4, 5), spans, List.of()).check(new CheckInput(List.of(), events));
    List<?> found = (List<?>) r.evidence().get("released-before-ack-with-a-backup");
    assertEquals(1, found.size(), r.evidence().toString());
    assertEquals(9L, ((Map<?, ?>) found.get(0)).get("outSeq"));
  }

  /**
   * Outputs released before the old primary attached the backup are in the snapshot it joined from,
   * even when the backup replayed a cached reply with an older outSeq (found by a swarm, seed 9).
   */
  @Test
  void outputsReleasedBeforeTheAttachAreInTheSnapshotDespiteACachedReplyReplayed() throws IOException {
    List<NodeEvent> events = new ArrayList<>();
    events.add(new NodeEvent.GoLive("n1", 1, NodeEvent.GoLive.WON, 0));
    events.add(new NodeEvent.RoleChange("n1", 1, NodeEvent.RoleChange.PRIMARY, 1));
    for (long seq = 1; seq <= 5; seq++) {
      events.add(out("n1", 1, seq, 100 + seq));
    }
    events.add(new NodeEvent.RoleChange("n2", 1, NodeEvent.RoleChange.BACKUP, 104));
    events.add(new NodeEvent.GoLive("n2", 2, NodeEvent.GoLive.WON, 900));
    events.add(new NodeEvent.RoleChange("n2", 2, NodeEvent.RoleChange.PRIMARY, 1000));
    Path notes = dir.resolve("notes.jsonl");
    Files.writeString(notes, "{\"type\":\"backup-attached\",\"node\":\"n1\",\"time\":103,\"backup\":\"n2\",\"epoch\":1,\"icount\":3}\n");
    List<BackupSpan> spans = BackupSpan.read(notes);
    // outSeq 1 again (a retried request's cached reply), then 3, 4, 5: outSeq 2 lies in the snapshot
    Result r = new OutputContinuityChecker(replayed(1, 3, 4, 5), spans, List.of()).check(new CheckInput(List.of(), events));
    assertEquals(Verdict.TRUE, r.verdict(), r.evidence().toString());

    Result missing = new OutputContinuityChecker(replayed(1, 3, 5), spans, List.of()).check(new CheckInput(List.of(), events));
    assertEquals(Verdict.FALSE, missing.verdict(), "outSeq 4 came after the attach and was never reached");
    assertEquals(1, ((List<?>) missing.evidence().get("outputs-the-new-primary-never-reached")).size());
  }

  @Test
  void outputsMadeBeforeTheSnapshotButReleasedAfterTheAttachAreInTheSnapshot() throws IOException {
    // n1 alone held outSeq 1-3 (icounts 10-30) until its new backup's first ack, which covered the
    // snapshot at icount 35; outSeq 4-5 were made after it
    List<NodeEvent> events = new ArrayList<>();
    events.add(new NodeEvent.GoLive("n1", 1, NodeEvent.GoLive.WON, 0));
    events.add(new NodeEvent.RoleChange("n1", 1, NodeEvent.RoleChange.PRIMARY, 1));
    for (long seq = 1; seq <= 5; seq++) {
      events.add(new NodeEvent.Output("n1", 1, seq, 7, seq, "h" + seq, 200 + seq, true,
          new NodeEvent.Release(seq, 10 * seq, 9, NodeEvent.Release.WITH_BACKUP)));
    }
    events.add(new NodeEvent.RoleChange("n2", 1, NodeEvent.RoleChange.BACKUP, 104));
    events.add(new NodeEvent.GoLive("n2", 2, NodeEvent.GoLive.WON, 900));
    events.add(new NodeEvent.RoleChange("n2", 2, NodeEvent.RoleChange.PRIMARY, 1000));
    Path notes = dir.resolve("notes.jsonl");
    Files.writeString(notes, "{\"type\":\"backup-attached\",\"node\":\"n1\",\"time\":103,\"backup\":\"n2\",\"epoch\":1,\"icount\":35}\n");
    List<BackupSpan> spans = BackupSpan.read(notes);
    // outSeq 2 again (a retried request's cached reply, made after the snapshot), then 4 and 5
    Result r = new OutputContinuityChecker(replayed(2, 4, 5), spans, List.of()).check(new CheckInput(List.of(), events));
    assertEquals(Verdict.TRUE, r.verdict(), r.evidence().toString());

    Result missing = new OutputContinuityChecker(replayed(2, 5), spans, List.of()).check(new CheckInput(List.of(), events));
    List<?> never = (List<?>) missing.evidence().get("outputs-the-new-primary-never-reached");
    assertEquals(1, never.size(), "outSeq 4 was made after the snapshot and never reached: " + never);
    assertEquals(4L, ((java.util.Map<?, ?>) never.get(0)).get("outSeq"));
  }

  @Test
  void noEpochChangeIsTriviallyValid() {
    Result r = check(failover(6).subList(0, 7), List.of());
    assertEquals(Verdict.TRUE, r.verdict());
    assertEquals(0, r.evidence().get("epoch-changes-checked"));
  }

  @Test
  void notesAreReadSkippingOtherNotesAndATornTail() throws IOException {
    Path notes = dir.resolve("notes.jsonl");
    Files.writeString(notes, """
        {"type":"snapshot-received","node":"n2","time":1,"bytes":4,"epoch":1,"icount":6}
        {"type":"suppressed-output","node":"n2","time":9,"epoch":1,"outSeq":3,"clientId":7,"reqSeq":3,"bytesHash":"h3","acked":false}
        {"type":"suppressed-output","node":"n2","time":10,"epoch":1,"outSeq":4,"clie""");
    assertEquals(List.of(new Reproduced("n2", 1, 3, 7, 3, "h3", 9)), Reproduced.read(notes));
    assertTrue(Reproduced.read(dir.resolve("missing.jsonl")).isEmpty());
  }
}
