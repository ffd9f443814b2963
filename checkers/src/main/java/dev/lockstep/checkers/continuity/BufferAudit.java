package dev.lockstep.checkers.continuity;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The log buffer counts exactly what is in flight. A primary with a backup logs, with its periodic
 * {@code primary-stats} note, the entries not yet acked and their bytes, read together under the log
 * stream's lock (the count its stall decision reads). With no entry unacked no byte may be counted:
 * bytes of acked entries still counted would fill the bound and stall the primary with its backup
 * caught up. Unacked entries have bytes. Notes that predate the fields are not audited.
 */
final class BufferAudit {
  private BufferAudit() {}

  /** One count of a primary's log buffer. */
  record Sample(String node, long epoch, long time, long entries, long bytes) {}

  /** The samples in one node's notes file; a missing file or torn line gives what was whole. */
  static List<Sample> read(Path notes) throws IOException {
    List<Sample> out = new ArrayList<>();
    for (JsonNode n : NodeNotes.read(notes, Set.of("primary-stats"))) {
      if (n.path("backup").asBoolean() && n.has("unackedBytes")) {
        out.add(new Sample(n.path("node").asText(), n.path("epoch").asLong(), n.path("time").asLong(),
            n.path("unackedEntries").asLong(), n.path("unackedBytes").asLong()));
      }
    }
    return out;
  }

  /** Samples whose bytes do not fit their entries: bytes with no entry unacked, none (or fewer than none) with some. */
  static List<Map<String, Object>> miscounted(List<Sample> samples) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Sample s : samples) {
      boolean fits = s.entries() == 0 ? s.bytes() == 0 : s.entries() > 0 && s.bytes() > 0;
      if (!fits) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("node", s.node());
        f.put("epoch", s.epoch());
        f.put("unackedEntries", s.entries());
        f.put("unackedBytes", s.bytes());
        f.put("time-ns", s.time());
        out.add(f);
      }
    }
    return out;
  }
}
