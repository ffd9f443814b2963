package dev.lockstep.checkers.continuity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An output a backup produced while it replayed the primary's log and did not send because the
 * primary's logged output was equal ({@code suppressed-output} in its {@code notes.jsonl}).
 */
public record Reproduced(String node, long epoch, long outSeq, long clientId, long reqSeq, String bytesHash, long time) {
  /** The notes file next to a node's {@code events.jsonl}. */
  public static final String NOTES_JSONL = "notes.jsonl";
  private static final String TYPE = "\"type\":\"suppressed-output\"";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The suppressed-output notes of {@code notes}; a torn last line (a node killed mid-write) and a
   * missing file give what was whole.
   */
  public static List<Reproduced> read(Path notes) throws IOException {
    List<Reproduced> out = new ArrayList<>();
    if (!Files.isRegularFile(notes)) {
      return out;
    }
    try (BufferedReader r = Files.newBufferedReader(notes, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.contains(TYPE)) {
          continue;
        }
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (IOException torn) {
          continue;
        }
        out.add(new Reproduced(n.path("node").asText(), n.path("epoch").asLong(), n.path("outSeq").asLong(),
            n.path("clientId").asLong(), n.path("reqSeq").asLong(), n.path("bytesHash").asText(), n.path("time").asLong()));
      }
    }
    return out;
  }
}
