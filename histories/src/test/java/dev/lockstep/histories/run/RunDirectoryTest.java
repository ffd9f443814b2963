package dev.lockstep.histories.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.histories.Format;
import dev.lockstep.histories.Histories;
import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.HistoryWriter;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.events.NodeEvent;
import dev.lockstep.histories.events.NodeEventWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  private static final Instant T0 = Instant.parse("2026-03-04T05:06:07.089Z");

  private static Clock at(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  @Test
  void createsTheLayoutAndBothLatestLinks(@TempDir Path root) throws Exception {
    RunDirectory run = RunDirectory.create(root, "kv-crash", at(T0));
    assertEquals(root.resolve("kv-crash/20260304T050607.089"), run.path());
    assertEquals("kv-crash", run.test());
    assertEquals(LocalDateTime.of(2026, 3, 4, 5, 6, 7, 89_000_000), run.startedAt().orElseThrow());
    assertEquals(Path.of("20260304T050607.089"), Files.readSymbolicLink(root.resolve("kv-crash/latest")));
    assertEquals(Path.of("kv-crash/20260304T050607.089"), Files.readSymbolicLink(root.resolve("latest")));
    assertEquals(run.path().resolve("history.jsonl"), run.historyJsonl());
    assertEquals(run.path().resolve("history.edn"), run.historyEdn());
    assertEquals(run.path().resolve("test.json"), run.testJson());
    assertEquals(run.path().resolve("nemesis.jsonl"), run.nemesisJsonl());
    assertEquals(run.path().resolve("results.json"), run.resultsJson());
    assertEquals(run.path().resolve("results.edn"), run.resultsEdn());
    assertEquals(run.path().resolve("nodes/n1/events.jsonl"), run.nodeEvents("n1"));
    assertEquals(run.path().resolve("nodes/n1/replay.log"), run.nodeReplayLog("n1"));
  }

  @Test
  void latestFollowsTheNewestRunPerTestAndOverall(@TempDir Path root) throws Exception {
    RunDirectory a1 = RunDirectory.create(root, "a", at(T0));
    RunDirectory b1 = RunDirectory.create(root, "b", at(T0.plusSeconds(1)));
    RunDirectory a2 = RunDirectory.create(root, "a", at(T0.plusSeconds(2)));
    assertEquals(a2.path().toRealPath(), RunDirectory.latest(root, "a").orElseThrow().path());
    assertEquals(b1.path().toRealPath(), RunDirectory.latest(root, "b").orElseThrow().path());
    assertEquals(a2.path().toRealPath(), RunDirectory.latest(root).orElseThrow().path());
    assertEquals(List.of(a1, a2), RunDirectory.list(root, "a"));
    assertEquals(List.of("a", "b"), RunDirectory.tests(root));
    assertTrue(RunDirectory.latest(root, "c").isEmpty());

    // Without the links, the newest name still wins.
    Files.delete(root.resolve("latest"));
    Files.delete(root.resolve("a/latest"));
    assertEquals(a2, RunDirectory.latest(root, "a").orElseThrow());
    assertEquals(a2, RunDirectory.latest(root).orElseThrow());
  }

  @Test
  void runsInTheSameMillisecondGetDistinctDirectories(@TempDir Path root) throws Exception {
    RunDirectory first = RunDirectory.create(root, "t", at(T0));
    RunDirectory second = RunDirectory.create(root, "t", at(T0));
    assertNotEquals(first, second);
    assertEquals("20260304T050607.090", second.path().getFileName().toString());
    assertEquals(second.path().toRealPath(), RunDirectory.latest(root, "t").orElseThrow().path());
  }

  @Test
  void recognisesRunDirectories(@TempDir Path root) throws Exception {
    RunDirectory run = RunDirectory.create(root, "t", at(T0));
    assertTrue(RunDirectory.isRunDirectory(run.path()));
    assertTrue(RunDirectory.isRunDirectory(root.resolve("t/latest")));
    assertFalse(RunDirectory.isRunDirectory(root));
    assertFalse(RunDirectory.isRunDirectory(root.resolve("t")));
    assertFalse(RunDirectory.isRunDirectory(root.resolve("missing")));
    Path copied = Files.createDirectories(root.resolve("repro"));
    assertFalse(RunDirectory.isRunDirectory(copied));
    Files.writeString(copied.resolve("history.edn"), "");
    assertTrue(RunDirectory.isRunDirectory(copied));
    assertTrue(RunDirectory.startedAt(copied).isEmpty());

    HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> RunDirectory.open(root.resolve("t")));
    assertTrue(e.getMessage().startsWith(root.resolve("t") + ": not a run directory"), e.getMessage());
    Path history = Files.writeString(run.historyJsonl(), "");
    assertEquals(run.path().toRealPath(), RunDirectory.enclosing(history).orElseThrow().path());
    assertTrue(RunDirectory.enclosing(root).isEmpty());
  }

  @Test
  void rejectsNamesThatEscapeTheLayout(@TempDir Path root) {
    for (String bad : List.of("", "..", ".hidden", "a/b", "latest", "-x", "a b")) {
      assertThrows(IllegalArgumentException.class, () -> RunDirectory.create(root, bad, at(T0)), bad);
    }
  }

  @Test
  void recordsAHistoryAndNodeEventsAndReadsThemBack(@TempDir Path root) throws Exception {
    RunDirectory run = RunDirectory.create(root, "t", at(T0));
    List<Op> ops = List.of(Op.invoke(0L, "write", 1L).withTime(5).withIndex(0), Op.ok(0L, "write", 1L).withTime(9).withIndex(1));
    try (HistoryWriter w = run.openHistory()) {
      w.write(ops.get(0));
      // Flushed as it happens: readable while the run goes on.
      assertEquals(ops.subList(0, 1), run.readHistory());
      w.write(ops.get(1));
    }
    assertEquals(ops, run.readHistory());
    run.writeHistoryEdn(ops);
    assertEquals(ops, Histories.read(run.historyEdn()));
    Files.delete(run.historyJsonl());
    assertEquals(ops, run.readHistory());

    NodeEvent.StateHash hash = new NodeEvent.StateHash("n2", 10, "aa");
    try (NodeEventWriter w = run.openEventLog("n2")) {
      w.write(hash);
    }
    run.createNodeDirectory("n1");
    assertEquals(List.of("n1", "n2"), run.nodeIds());
    assertEquals(Map.of("n1", List.of(), "n2", List.of(hash)), run.readNodeEvents());
    Files.delete(run.historyEdn());
    assertThrows(HistoryFormatException.class, run::readHistory);
    assertEquals(Format.JSONL, Format.of(run.historyJsonl()));
  }
}
