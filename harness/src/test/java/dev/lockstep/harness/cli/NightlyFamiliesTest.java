package dev.lockstep.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NightlyFamiliesTest {
  @TempDir Path dir;

  @Test
  void countsAppliedFaultsByTheirOwnFamilyAndCatchesByTheRunsFamilies() throws IOException {
    Path history = dir.resolve("history.jsonl");
    Files.writeString(history, """
        {"type":"info","f":"start-join","value":{"action":"cut-link"},"process":"nemesis","time":1,"index":0}
        {"type":"info","f":"start-join","value":{"action":"cut-link","nodes":["n2"]},"process":"nemesis","time":2,"index":1}
        {"type":"invoke","f":"read","value":null,"process":0,"time":3,"index":2}
        {"type":"info","f":"start-kill","value":{"target":"primary","spared":["n1"],"nodes":[]},"process":"nemesis","time":4,"index":3}
        {"type":"info","f":"stop-join","value":{"action":"cut-link","nodes":["n2"]},"process":"nemesis","time":5,"index":4}
        """);
    Map<String, Long> faults = NightlyFamilies.faultsApplied(history);
    assertEquals(Map.of("join", 1L, "kill", 1L), faults);
    NightlyFamilies table = new NightlyFamilies();
    table.add(List.of("mix"), "false", faults);
    table.add(List.of("join"), "true", Map.of("join", 2L));
    assertEquals(Map.of("faults", 3L, "runs", 1L, "caught", 0L), table.json().get("join"));
    assertEquals(Map.of("faults", 0L, "runs", 1L, "caught", 1L), table.json().get("mix"));
    assertTrue(table.text().startsWith("family\tfaults\truns\tcaught\n"), table.text());
    assertTrue(NightlyFamilies.faultsApplied(dir.resolve("missing.jsonl")).isEmpty());
  }
}
