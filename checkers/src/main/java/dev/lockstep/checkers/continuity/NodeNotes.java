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
import java.util.Set;

/**
 * A node's notes file ({@code notes.jsonl}, next to its {@code events.jsonl}) read for some types of
 * note: the whole lines of those types, parsed, in file order. A torn line (a node killed mid-write)
 * and a missing file give what was whole.
 */
final class NodeNotes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeNotes() {}

  static List<JsonNode> read(Path notes, Set<String> types) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.isRegularFile(notes)) {
      return out;
    }
    List<String> markers = types.stream().map(t -> "\"type\":\"" + t + "\"").toList();
    try (BufferedReader r = Files.newBufferedReader(notes, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String l = line;
        if (markers.stream().noneMatch(l::contains)) {
          continue; // most notes are of other types: no parse for them
        }
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (IOException torn) {
          continue;
        }
        if (n != null && types.contains(n.path("type").asText())) {
          out.add(n);
        }
      }
    }
    return out;
  }
}
