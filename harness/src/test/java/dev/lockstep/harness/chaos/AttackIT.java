package dev.lockstep.harness.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.harness.api.TestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The attack family against a cluster over TLS, on real processes: the run ends valid, the history
 * records every attempt, none was accepted, and every kind was refused at least once.
 */
class AttackIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anOutsiderWithoutTheSecretIsRefusedEverywhereAndTheRunStaysValid() throws Exception {
    TestResult result = Scenarios.builder(new Scenarios.Scenario("cas-register", "attack", 1010)).tls(true).run();
    assertTrue(result.ops() > 0, "the workload ran: " + result.describe());
    assertTrue(result.valid(), result.describe() + " evidence " + result.evidence());

    List<JsonNode> attempts = new ArrayList<>();
    for (String line : Files.readAllLines(result.runDirectory().resolve("history.jsonl"))) {
      if (line.contains("\"start-attack\"")) {
        JsonNode op = JSON.readTree(line);
        op.path("value").path("attempts").forEach(attempts::add);
      }
    }
    assertFalse(attempts.isEmpty(), "the history records the attempts");
    Set<String> refusedKinds = new TreeSet<>();
    for (JsonNode a : attempts) {
      assertFalse("accepted".equals(a.path("outcome").asText()), "an attempt got in: " + a);
      if ("refused".equals(a.path("outcome").asText())) {
        refusedKinds.add(a.path("kind").asText());
      }
    }
    assertEquals(new TreeSet<>(dev.lockstep.nemesis.schedule.Family.ATTACK_ATTEMPTS), refusedKinds,
        "every kind refused at least once: " + attempts);
    assertFalse(Files.exists(result.runDirectory().resolve("secrets")), "the run's secret and keys are gone");
  }
}
