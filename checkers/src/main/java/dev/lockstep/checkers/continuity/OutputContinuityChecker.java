package dev.lockstep.checkers.continuity;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Checker;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.events.NodeEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The output requirement (paper §2.2) at every epoch change: a node that goes live for epoch e' after
 * replaying the log of epoch e as backup must produce again every output the primary of e released
 * from the first output it replayed on: the same {@code outSeq} with the same bytes, either suppressed
 * while it replayed ({@code suppressed-output} notes) or released by itself in e' (its catch-up after
 * go-live); an {@code outSeq} it produced with other bytes means it took new input before it had
 * executed the old primary's entries. Outputs released before the old primary attached it (or with an
 * {@code outSeq} below the first it replayed) lie in the snapshot it joined from and are not asked for.
 * Evidence: the outputs the new primary never reached (epoch, {@code outSeq}, icount, client request,
 * who released it, who went live), byte mismatches and the audit findings. A run with no epoch change
 * has no continuity to check, only audits.
 * The audits are {@link EpochAudit} (primary only after its own win, epochs never go back, one win per
 * epoch), {@link AckAudit} (each release covered by an ack, from the gate's word logged with it) and
 * {@link CatchUpAudit} (a go-live discards no received or acked entry) and {@link BufferAudit} (the log
 * buffer counts no byte of an acked entry); logs that predate the records
 * an audit needs skip that audit, and the evidence says how much was audited.
 */
public final class OutputContinuityChecker implements Checker {
  public static final String NAME = "output-continuity";
  static final int SHOWN_MAX = 20;

  private final List<Reproduced> reproduced;
  private final List<BackupSpan> spans;
  private final List<BufferAudit.Sample> buffers;

  /** @param reproduced every node's suppressed-output notes */
  public OutputContinuityChecker(List<Reproduced> reproduced) {
    this(reproduced, List.of(), List.of());
  }

  /**
   * @param reproduced every node's suppressed-output notes
   * @param spans every primary's spans with a backup attached, for the ack audit
   * @param buffers every primary's counts of its log buffer, for the buffer audit
   */
  OutputContinuityChecker(List<Reproduced> reproduced, List<BackupSpan> spans, List<BufferAudit.Sample> buffers) {
    this.reproduced = List.copyOf(reproduced);
    this.spans = List.copyOf(spans);
    this.buffers = List.copyOf(buffers);
  }

  /** The checker of a run whose nodes' notes files are {@code notes}: their suppressed outputs, spans and buffer counts. */
  public static OutputContinuityChecker fromNotes(List<Path> notes) throws IOException {
    List<Reproduced> reproduced = new ArrayList<>();
    List<BackupSpan> spans = new ArrayList<>();
    List<BufferAudit.Sample> buffers = new ArrayList<>();
    for (Path n : notes) {
      reproduced.addAll(Reproduced.read(n));
      spans.addAll(BackupSpan.read(n));
      buffers.addAll(BufferAudit.read(n));
    }
    return new OutputContinuityChecker(reproduced, spans, buffers);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result check(CheckInput input) {
    List<NodeEvent.Output> outputs = input.outputs();
    List<Map<String, Object>> unreached = new ArrayList<>();
    List<Map<String, Object>> differing = new ArrayList<>();
    int changes = 0;
    List<GoLive> goLives = goLives(input.events());
    for (GoLive g : goLives) {
      changes++;
      // What the new primary produced again: outputs it suppressed while replaying as backup, and the
      // outputs it released itself in its new epoch (entries it executed in its catch-up after go-live).
      Map<Long, String> again = new HashMap<>();
      long first = Long.MAX_VALUE;
      for (Reproduced r : reproduced) {
        if (r.node().equals(g.node()) && r.epoch() == g.fromEpoch() && r.time() >= g.backupSince() && r.time() <= g.at()) {
          again.putIfAbsent(r.outSeq(), r.bytesHash());
          first = Math.min(first, r.outSeq());
        }
      }
      for (NodeEvent.Output o : outputs) {
        if (o.node().equals(g.node()) && o.epoch() == g.toEpoch()) {
          again.putIfAbsent(o.outSeq(), o.bytesHash());
        }
      }
      BackupSpan joined = joinedFrom(g);
      for (NodeEvent.Output o : outputs) {
        // TRICKY: not only outSeq < first: a cached reply the guest sent again carries its old outSeq, so
        // the lowest outSeq the backup reproduced can lie below outputs its snapshot already held
        if (o.epoch() != g.fromEpoch() || o.node().equals(g.node()) || o.outSeq() < first || o.time() < joined.from()) {
          continue;
        }
        // TRICKY: an output made before the snapshot but released after the attach (held by the gate
        // until the backup's first ack, which covers the snapshot) is in the state the backup joined from
        if (o.release() != null && o.release().icount() < joined.snapshotIcount()) {
          continue;
        }
        String bytes = again.get(o.outSeq());
        if (bytes == null) {
          unreached.add(finding(o, g));
        } else if (!bytes.equals(o.bytesHash())) {
          Map<String, Object> f = finding(o, g);
          f.put("new-primary-bytesHash", bytes);
          differing.add(f);
        }
      }
    }
    Map<String, List<Map<String, Object>>> findings = new LinkedHashMap<>();
    findings.put("outputs-the-new-primary-never-reached", unreached);
    findings.put("outputs-produced-again-with-other-bytes", differing);
    findings.put("primary-without-a-won-go-live", EpochAudit.primaryWithoutWin(input.events()));
    findings.put("epochs-going-back", EpochAudit.epochsGoingBack(input.events()));
    findings.put("epochs-with-two-winners", EpochAudit.twoWinners(input.events()));
    findings.put("released-past-the-ack", AckAudit.releasedPastTheAck(outputs));
    findings.put("released-before-ack-with-a-backup", AckAudit.releasedBeforeAck(outputs, spans));
    findings.put("go-live-discarded-entries", CatchUpAudit.discarded(input.events()));
    findings.put("log-buffer-miscounted", BufferAudit.miscounted(buffers));
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("epoch-changes-checked", changes);
    evidence.put("outputs", outputs.size());
    evidence.put("reproduced", reproduced.size());
    evidence.put("ack-audit", audited(AckAudit.withTheGatesWord(outputs), outputs.size(), "releases",
        "released-past-the-ack: logs that predate the gate's word (entrySeq, ackedSeq) skip it"));
    List<Map<String, Object>> uncounted = CatchUpAudit.withoutCounts(input.events(), goLives);
    evidence.put("catch-up-audit", audited(goLives.size() - uncounted.size(), goLives.size(), "go-lives",
        "go-live-discarded-entries: no caught-up record (a log that predates it, or a node killed first)"));
    evidence.put("buffer-audit", buffers.size() + " counts of a primary's log buffer audited"
        + (buffers.isEmpty() ? " (none logged: a simulated run, no backup attached, or logs that predate them)" : ""));
    if (!uncounted.isEmpty()) {
      evidence.put("go-lives-without-counts", uncounted.size() <= SHOWN_MAX ? uncounted : uncounted.subList(0, SHOWN_MAX));
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Map.Entry<String, List<Map<String, Object>>> kind : findings.entrySet()) {
      List<Map<String, Object>> list = kind.getValue();
      evidence.put(kind.getKey(), list.size() <= SHOWN_MAX ? list : list.subList(0, SHOWN_MAX));
      if (!list.isEmpty()) {
        counts.put(kind.getKey(), list.size());
      }
    }
    // the lists show at most SHOWN_MAX each: the counts say how many there were
    evidence.put("findings", counts);
    return Result.of(NAME, counts.isEmpty() ? Verdict.TRUE : Verdict.FALSE, evidence);
  }

  /** How much of an audit the logs allowed: "all 12 releases", or which part was skipped and why. */
  private static String audited(long checked, long of, String what, String skipped) {
    if (checked == of) {
      return "all " + of + " " + what + " audited";
    }
    return checked + " of " + of + " " + what + " audited; skipped for the rest (" + skipped + ")";
  }

  private static Map<String, Object> finding(NodeEvent.Output o, GoLive g) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("epoch", o.epoch());
    f.put("outSeq", o.outSeq());
    f.put("icount", o.release() == null ? "unknown (log predates it)" : o.release().icount());
    f.put("clientId", o.clientId());
    f.put("reqSeq", o.reqSeq());
    f.put("released-by", o.node());
    f.put("released-at-ns", o.time());
    f.put("new-primary", g.node());
    f.put("new-epoch", g.toEpoch());
    return f;
  }

  /**
   * The span in which the old primary attached the backup that went live in {@code g}: outputs it
   * released before that, or made before the snapshot the backup joined from, are held in that
   * snapshot. Without the primary's note (a torn log), a span from the backup's own start.
   */
  private BackupSpan joinedFrom(GoLive g) {
    BackupSpan joined = null;
    for (BackupSpan s : spans) {
      if (s.epoch() == g.fromEpoch() && !s.node().equals(g.node()) && s.from() <= g.backupSince()
          && (joined == null || s.from() > joined.from())) {
        joined = s;
      }
    }
    return joined != null ? joined : new BackupSpan(g.node(), g.fromEpoch(), g.backupSince(), g.at());
  }

  /** A backup of {@code fromEpoch} since {@code backupSince} that became primary of {@code toEpoch} at {@code at}. */
  record GoLive(String node, long fromEpoch, long toEpoch, long backupSince, long at) {}

  /** Every role change backup(e) → primary(e') in one node's log, in the order logged. */
  static List<GoLive> goLives(List<NodeEvent> events) {
    List<GoLive> out = new ArrayList<>();
    Map<String, NodeEvent.RoleChange> lastRole = new TreeMap<>();
    for (NodeEvent e : events) {
      if (e instanceof NodeEvent.RoleChange r) {
        NodeEvent.RoleChange before = lastRole.put(r.node(), r);
        if (before != null && NodeEvent.RoleChange.BACKUP.equals(before.role())
            && NodeEvent.RoleChange.PRIMARY.equals(r.role()) && r.epoch() > before.epoch()) {
          out.add(new GoLive(r.node(), before.epoch(), r.epoch(), before.time(), r.time()));
        }
      }
    }
    return out;
  }
}
