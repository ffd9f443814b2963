package dev.lockstep.harness.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.harness.api.TestResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One short run of every family added for composed faults (catch-up, join, one-way, flaky,
 * coordination, clock-storm), overlapped two at a time, on real processes: no checker finds an anomaly
 * (liveness may be unknown, never false, when overlapping faults took both copies: the run says so),
 * the output-continuity checker judged it true, faults overlapped, and every fault the schedule started
 * is in the history as a nemesis op.
 */
class ComposedFaultsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void newFamiliesOverlappedEndValid() throws Exception {
    TestResult result = Scenarios.builder(Scenarios.APPEND_COMPOSED).nemesisInterval(java.time.Duration.ofSeconds(2)).run();
    assertTrue(result.ops() > 0, "the workload ran: " + result.describe());
    for (dev.lockstep.checkers.Result r : result.results()) {
      Verdict allowed = r.checker().equals("liveness") ? Verdict.UNKNOWN : Verdict.TRUE;
      assertTrue(r.verdict() == Verdict.TRUE || r.verdict() == allowed, r.checker() + " " + r.verdict() + ": "
          + result.describe() + " evidence " + result.evidence());
    }
    assertEquals(Verdict.TRUE, result.result("output-continuity").orElseThrow().verdict(), result.describe());

    List<JsonNode> planned = lines(result.runDirectory().resolve("nemesis.jsonl"));
    int active = 0;
    int most = 0;
    Set<String> started = new LinkedHashSet<>();
    for (JsonNode step : planned) {
      String f = step.path("f").asText();
      active += f.startsWith("start-") ? 1 : -1;
      most = Math.max(most, active);
      if (f.startsWith("start-")) {
        started.add(f);
      }
    }
    assertTrue(most >= 2, "no two faults overlapped in " + planned);
    Set<String> recorded = new HashSet<>();
    for (JsonNode op : lines(result.runDirectory().resolve("history.jsonl"))) {
      if ("nemesis".equals(op.path("process").asText())) {
        recorded.add(op.path("f").asText());
      }
    }
    assertTrue(recorded.containsAll(started), "started " + started + " but the history records " + recorded);
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }
}
