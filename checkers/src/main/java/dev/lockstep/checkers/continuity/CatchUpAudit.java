package dev.lockstep.checkers.continuity;

import dev.lockstep.histories.events.NodeEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node that goes live discards no entry it had received or acked: its {@code caught-up} record
 * shows it executed through the highest entry of each ({@code executedSeq >= receivedSeq},
 * {@code executedSeq >= ackedSeq}) and left none behind. An acked entry it skipped may hold the input
 * behind an output the old primary released on that ack. Go-lives without the record (logs that
 * predate it, or a node killed between its catch-up and the record) are named, not judged.
 */
final class CatchUpAudit {
  private CatchUpAudit() {}

  /** Catch-ups that left a received or acked entry unexecuted, with their counts. */
  static List<Map<String, Object>> discarded(List<NodeEvent> events) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (NodeEvent e : events) {
      if (e instanceof NodeEvent.CaughtUp c
          && (c.executedSeq() < c.receivedSeq() || c.executedSeq() < c.ackedSeq() || c.discarded() > 0)) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("node", c.node());
        f.put("epoch", c.epoch());
        f.put("receivedSeq", c.receivedSeq());
        f.put("ackedSeq", c.ackedSeq());
        f.put("executedSeq", c.executedSeq());
        f.put("discarded", c.discarded());
        f.put("icount", c.icount());
        f.put("time-ns", c.time());
        out.add(f);
      }
    }
    return out;
  }

  /** Go-lives from backup with no {@code caught-up} record of their node between its backup and primary roles. */
  static List<Map<String, Object>> withoutCounts(List<NodeEvent> events, List<OutputContinuityChecker.GoLive> goLives) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (OutputContinuityChecker.GoLive g : goLives) {
      boolean counted = events.stream().anyMatch(e -> e instanceof NodeEvent.CaughtUp c && c.node().equals(g.node())
          && c.epoch() == g.fromEpoch() && c.time() >= g.backupSince() && c.time() <= g.at());
      if (!counted) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("node", g.node());
        f.put("epoch", g.toEpoch());
        out.add(f);
      }
    }
    return out;
  }
}
