package dev.lockstep.checkers.continuity;

import dev.lockstep.histories.events.NodeEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output rule as an audit: while a primary has a backup attached, every output it releases was
 * acknowledged first. The primary switches its output gate to wait for acks before it writes the
 * {@code backup-attached} note, and holds or goes alone only after {@code backup-lost}, so in between an
 * unacknowledged release is the output rule broken. A release decided alone just before the switch
 * may be stamped a little after it: the span starts {@link #SETTLE_NANOS} late. Evidence: the
 * unacknowledged releases with their epoch, {@code outSeq} and client request.
 */
final class AckAudit {
  /** Margin after the attach note for a release decided just before the gate switched. */
  static final long SETTLE_NANOS = 1_000_000;

  private AckAudit() {}

  static List<Map<String, Object>> releasedBeforeAck(List<NodeEvent.Output> outputs, List<BackupSpan> spans) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (BackupSpan span : spans) {
      for (NodeEvent.Output o : outputs) {
        if (!o.node().equals(span.node()) || o.epoch() != span.epoch() || !span.holds(o.time())
            || o.time() < span.from() + SETTLE_NANOS) {
          continue;
        }
        if (!o.acked()) {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("node", o.node());
          f.put("epoch", o.epoch());
          f.put("outSeq", o.outSeq());
          f.put("clientId", o.clientId());
          f.put("reqSeq", o.reqSeq());
          f.put("released-at-ns", o.time());
          f.put("backup-attached-at-ns", span.from());
          out.add(f);
        }
      }
    }
    return out;
  }
}
