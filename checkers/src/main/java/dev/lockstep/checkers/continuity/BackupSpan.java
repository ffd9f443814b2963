package dev.lockstep.checkers.continuity;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A time span in which primary {@code node} of {@code epoch} had a backup attached: from its
 * {@code backup-attached} note to its {@code backup-lost} note ({@link Long#MAX_VALUE} if none followed:
 * the primary ended first). {@code snapshotIcount} is the icount of the snapshot the backup joined from
 * ({@link Long#MIN_VALUE} when the note does not say): an output made before it is held in that state.
 */
public record BackupSpan(String node, long epoch, long from, long to, long snapshotIcount) {
  /** A span whose snapshot icount is not known. */
  public BackupSpan(String node, long epoch, long from, long to) {
    this(node, epoch, from, to, Long.MIN_VALUE);
  }

  private static final String ATTACHED = "backup-attached";
  private static final String LOST = "backup-lost";

  boolean holds(long time) {
    return time >= from && time < to;
  }

  /** The spans of one node's notes file; a missing file or torn line gives what was whole. */
  public static List<BackupSpan> read(Path notes) throws IOException {
    List<BackupSpan> out = new ArrayList<>();
    JsonNode open = null;
    for (JsonNode n : NodeNotes.read(notes, Set.of(ATTACHED, LOST))) {
      if (open != null) {
        out.add(span(open, n.path("time").asLong()));
        open = null;
      }
      if (ATTACHED.equals(n.path("type").asText())) {
        open = n;
      }
    }
    if (open != null) {
      out.add(span(open, Long.MAX_VALUE));
    }
    return out;
  }

  private static BackupSpan span(JsonNode attached, long to) {
    return new BackupSpan(attached.path("node").asText(), attached.path("epoch").asLong(), attached.path("time").asLong(), to,
        attached.has("icount") ? attached.path("icount").asLong() : Long.MIN_VALUE);
  }
}
