package dev.lockstep.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The nightly summary's per-family table: for each nemesis family, the faults of it that were applied
 * (over all runs, a {@code mix} run counting each fault under its own family), the runs that named it,
 * and how many of those the checkers caught (invalid).
 */
final class NightlyFamilies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, long[]> byFamily = new TreeMap<>();

  /** Faults applied in one run: each completed {@code start-F} op of its history (it names its nodes). */
  static Map<String, Long> faultsApplied(Path history) {
    Map<String, Long> counts = new TreeMap<>();
    if (!Files.isRegularFile(history)) {
      return counts;
    }
    try (BufferedReader r = Files.newBufferedReader(history, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.contains("\"nemesis\"") || !line.contains("\"f\":\"start-")) {
          continue;
        }
        JsonNode op = JSON.readTree(line);
        if (op.path("value").has("nodes")) {
          counts.merge(op.path("f").asText().substring("start-".length()), 1L, Long::sum);
        }
      }
    } catch (IOException e) {
      return counts;
    }
    return counts;
  }

  /** Adds one run: its families (as named on its command line), its verdict and its applied faults. */
  void add(List<String> families, String valid, Map<String, Long> faults) {
    for (String f : families) {
      long[] row = row(f);
      row[1]++;
      if ("false".equals(valid)) {
        row[2]++;
      }
    }
    faults.forEach((f, n) -> row(f)[0] += n);
  }

  private long[] row(String family) {
    return byFamily.computeIfAbsent(family, k -> new long[3]);
  }

  Map<String, Object> json() {
    Map<String, Object> out = new LinkedHashMap<>();
    byFamily.forEach((f, row) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("faults", row[0]);
      m.put("runs", row[1]);
      m.put("caught", row[2]);
      out.put(f, m);
    });
    return out;
  }

  String text() {
    StringBuilder s = new StringBuilder("family\tfaults\truns\tcaught\n");
    byFamily.forEach((f, row) -> s.append(f).append('\t').append(row[0]).append('\t').append(row[1]).append('\t')
        .append(row[2]).append('\n'));
    return s.toString();
  }
}
