package dev.lockstep.checkers.continuity;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An output a backup produced while it replayed the primary's log and did not send because the
 * primary's logged output was equal ({@code suppressed-output} in its {@code notes.jsonl}).
 */
public record Reproduced(String node, long epoch, long outSeq, long clientId, long reqSeq, String bytesHash, long time) {
  /** The notes file next to a node's {@code events.jsonl}. */
  public static final String NOTES_JSONL = "notes.jsonl";
  private static final String TYPE = "suppressed-output";

  /**
   * The suppressed-output notes of {@code notes}; a torn last line (a node killed mid-write) and a
   * missing file give what was whole.
   */
  public static List<Reproduced> read(Path notes) throws IOException {
    List<Reproduced> out = new ArrayList<>();
    for (JsonNode n : NodeNotes.read(notes, Set.of(TYPE))) {
      out.add(new Reproduced(n.path("node").asText(), n.path("epoch").asLong(), n.path("outSeq").asLong(),
          n.path("clientId").asLong(), n.path("reqSeq").asLong(), n.path("bytesHash").asText(), n.path("time").asLong()));
    }
    return out;
  }
}
