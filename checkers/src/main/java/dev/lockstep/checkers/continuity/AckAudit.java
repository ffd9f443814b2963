package dev.lockstep.checkers.continuity;

import dev.lockstep.histories.events.NodeEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output rule as an audit, two ways. From the gate's word logged with each release: an output
 * released with a backup attached had its entry covered by the ack then ({@code entrySeq <=
 * ackedSeq}); one released alone had ZooKeeper's word; none left while the gate held. Releases from
 * logs that predate the gate's word are counted as not audited. From the notes: while a primary has a
 * backup attached, every output it releases was acknowledged. The primary switches its output gate to
 * wait for acks before it writes the {@code backup-attached} note, and holds or goes alone only after
 * {@code backup-lost}, so in between an unacknowledged release is the output rule broken. A release
 * decided alone just before the switch may be stamped a little after it: the span starts {@link
 * #SETTLE_NANOS} late. Evidence: each such release with its epoch, {@code outSeq}, icount and client
 * request.
 */
final class AckAudit {
  /** Margin after the attach note for a release decided just before the gate switched. */
  static final long SETTLE_NANOS = 1_000_000;

  private AckAudit() {}

  /** Releases whose logged gate word does not allow them: past the ack with a backup, or while held. */
  static List<Map<String, Object>> releasedPastTheAck(List<NodeEvent.Output> outputs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (NodeEvent.Output o : outputs) {
      NodeEvent.Release r = o.release();
      if (r == null) {
        continue;
      }
      boolean allowed = switch (r.standing()) {
        case NodeEvent.Release.WITH_BACKUP -> r.entrySeq() <= r.ackedSeq();
        case NodeEvent.Release.ALONE -> true;
        default -> false;
      };
      if (!allowed) {
        Map<String, Object> f = release(o);
        f.put("gate", r.standing());
        f.put("entrySeq", r.entrySeq());
        f.put("ackedSeq", r.ackedSeq());
        out.add(f);
      }
    }
    return out;
  }

  /** Releases the gate's word was logged for; the rest come from logs written before it was. */
  static long withTheGatesWord(List<NodeEvent.Output> outputs) {
    return outputs.stream().filter(o -> o.release() != null).count();
  }

  static List<Map<String, Object>> releasedBeforeAck(List<NodeEvent.Output> outputs, List<BackupSpan> spans) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (BackupSpan span : spans) {
      for (NodeEvent.Output o : outputs) {
        if (!o.node().equals(span.node()) || o.epoch() != span.epoch() || !span.holds(o.time())
            || o.time() < span.from() + SETTLE_NANOS) {
          continue;
        }
        if (!o.acked()) {
          Map<String, Object> f = release(o);
          f.put("backup-attached-at-ns", span.from());
          out.add(f);
        }
      }
    }
    return out;
  }

  /** Who released which output, when, answering which request, from which entry when the log says. */
  static Map<String, Object> release(NodeEvent.Output o) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("node", o.node());
    f.put("epoch", o.epoch());
    f.put("outSeq", o.outSeq());
    f.put("icount", o.release() == null ? "unknown (log predates it)" : o.release().icount());
    f.put("clientId", o.clientId());
    f.put("reqSeq", o.reqSeq());
    f.put("released-at-ns", o.time());
    return f;
  }
}
