package dev.lockstep.checkers.continuity;

import dev.lockstep.histories.events.NodeEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output rule as an audit: while a primary has a backup attached, every output it releases was
 * acknowledged first. Counted from the first acknowledged output of a backup span on (before it, the
 * gate may still be releasing alone), to the span's end. Evidence: the unacknowledged releases with
 * their epoch, {@code outSeq} and client request.
 */
final class AckAudit {
  private AckAudit() {}

  static List<Map<String, Object>> releasedBeforeAck(List<NodeEvent.Output> outputs, List<BackupSpan> spans) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (BackupSpan span : spans) {
      boolean gated = false;
      for (NodeEvent.Output o : outputs) {
        if (!o.node().equals(span.node()) || o.epoch() != span.epoch() || !span.holds(o.time())) {
          continue;
        }
        if (o.acked()) {
          gated = true;
        } else if (gated) {
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
