package dev.lockstep.histories.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.histories.HistoryFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeEventLogTest {
  private static final List<NodeEvent> SAMPLE = List.of(
      new NodeEvent.RoleChange("n1", 1, NodeEvent.RoleChange.PRIMARY, 10),
      new NodeEvent.Output("n1", 1, 5, 7, 3, "9f86d081", 1234, true),
      new NodeEvent.StateHash("n1", 1, NodeEvent.RoleChange.PRIMARY, 1_000_000, "ab12"),
      new NodeEvent.GoLive("n2", 2, NodeEvent.GoLive.ATTEMPT, 5000),
      new NodeEvent.GoLive("n2", 2, NodeEvent.GoLive.WON, 5100),
      new NodeEvent.Output("n2", 2, 6, 7, 4, "ffff", 6000, false),
      new NodeEvent.CaughtUp("n2", 1, 40, 40, 40, 0, 2_000_000, 5050),
      new NodeEvent.Output("n2", 2, 7, 7, 5, "eeee", 6100, true,
          new NodeEvent.Release(44, 2_100_000, 44, NodeEvent.Release.WITH_BACKUP)),
      new NodeEvent.Divergence("n3", 2, 131_072, "state hash at icount 131072: primary ab12, backup cd34", 7000));

  @Test
  void writesTheSchemaAndReadsItBack(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("nodes/n1/events.jsonl");
    try (NodeEventWriter w = NodeEventWriter.open(log)) {
      for (NodeEvent e : SAMPLE) {
        w.write(e);
      }
    }
    List<String> lines = Files.readAllLines(log);
    assertEquals("{\"type\":\"role\",\"node\":\"n1\",\"epoch\":1,\"role\":\"primary\",\"time\":10}", lines.get(0));
    assertEquals("{\"type\":\"output\",\"node\":\"n1\",\"epoch\":1,\"outSeq\":5,\"clientId\":7,\"reqSeq\":3,"
        + "\"bytesHash\":\"9f86d081\",\"time\":1234,\"acked\":true}", lines.get(1));
    assertEquals("{\"type\":\"state-hash\",\"node\":\"n1\",\"epoch\":1,\"role\":\"primary\",\"icount\":1000000,"
        + "\"hash\":\"ab12\"}", lines.get(2));
    assertEquals("{\"type\":\"golive\",\"node\":\"n2\",\"epoch\":2,\"result\":\"attempt\",\"time\":5000}", lines.get(3));
    assertEquals("{\"type\":\"divergence\",\"node\":\"n3\",\"epoch\":2,\"icount\":131072,"
        + "\"detail\":\"state hash at icount 131072: primary ab12, backup cd34\",\"time\":7000}", lines.get(8));
    assertEquals("{\"type\":\"caught-up\",\"node\":\"n2\",\"epoch\":1,\"receivedSeq\":40,\"ackedSeq\":40,"
        + "\"executedSeq\":40,\"discarded\":0,\"icount\":2000000,\"time\":5050}", lines.get(6));
    assertEquals("{\"type\":\"output\",\"node\":\"n2\",\"epoch\":2,\"outSeq\":7,\"clientId\":7,\"reqSeq\":5,"
        + "\"bytesHash\":\"eeee\",\"time\":6100,\"acked\":true,\"entrySeq\":44,\"icount\":2100000,\"ackedSeq\":44,"
        + "\"gate\":\"with-backup\"}", lines.get(7));
    assertEquals(SAMPLE, NodeEventReader.read(log));
  }

  @Test
  void appendsToAnExistingLog(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("events.jsonl");
    try (NodeEventWriter w = NodeEventWriter.open(log)) {
      w.write(SAMPLE.get(0));
    }
    try (NodeEventWriter w = NodeEventWriter.open(log)) {
      assertEquals(Files.size(log), w.bytes());
      w.write(SAMPLE.get(1));
    }
    assertEquals(SAMPLE.subList(0, 2), NodeEventReader.read(log));
  }

  @Test
  void everyEventIsOnDiskWhenWriteReturns(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("events.jsonl");
    NodeEventWriter w = NodeEventWriter.open(log);
    w.write(SAMPLE.get(1));
    // Read by another path while the writer is still open: nothing waits in a buffer.
    assertEquals(List.of(SAMPLE.get(1)), NodeEventReader.read(log));
    w.close();
  }

  @Test
  void concurrentWritersNeverInterleaveLines(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("events.jsonl");
    int threads = 8;
    int perThread = 500;
    try (NodeEventWriter w = NodeEventWriter.open(log)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int node = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            w.write(new NodeEvent.Output("n" + node, 1, i, node, i, "h" + i, i, true));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
    List<NodeEvent> events = NodeEventReader.read(log);
    assertEquals(threads * perThread, events.size());
    assertEquals(threads * perThread, new HashSet<>(events).size());
  }

  @Test
  void theFileBoundRefusesAndWritesNothing(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("events.jsonl");
    try (NodeEventWriter w = NodeEventWriter.open(log, 200)) {
      w.write(SAMPLE.get(1));
      assertThrows(EventLogFullException.class, () -> w.write(SAMPLE.get(1)));
    }
    assertEquals(1, NodeEventReader.read(log).size());
    String huge = "x".repeat(NodeEventWriter.LINE_BYTES_MAX);
    try (NodeEventWriter w = NodeEventWriter.open(log)) {
      assertThrows(IllegalArgumentException.class, () -> w.write(new NodeEvent.StateHash("n1", 1, huge)));
    }
  }

  @Test
  void writeAllAppendsEveryEventOrNone(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("events.jsonl");
    try (NodeEventWriter w = NodeEventWriter.open(log)) {
      w.writeAll(SAMPLE);
      assertEquals(SAMPLE, NodeEventReader.read(log), "on disk when writeAll returns");
      String huge = "x".repeat(NodeEventWriter.LINE_BYTES_MAX);
      assertThrows(IllegalArgumentException.class,
          () -> w.writeAll(List.of(SAMPLE.get(1), new NodeEvent.StateHash("n1", 1, huge))));
      assertEquals(Files.size(log), w.bytes());
    }
    assertEquals(SAMPLE, NodeEventReader.read(log), "the batch with a line too long wrote nothing");
    try (NodeEventWriter w = NodeEventWriter.open(log, Files.size(log) + 200)) {
      assertThrows(EventLogFullException.class, () -> w.writeAll(List.of(SAMPLE.get(1), SAMPLE.get(5))));
    }
    assertEquals(SAMPLE, NodeEventReader.read(log), "the batch past the bound wrote nothing");
  }

  @Test
  void malformedLinesAreNamedByLineAndColumn(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("events.jsonl");
    Files.writeString(log, "{\"type\":\"state-hash\",\"node\":\"n1\",\"icount\":1,\"hash\":\"a\"}\n"
        + "{\"type\":\"state-hash\",\"node\":\"n1\",\"icount\":\"2\",\"hash\":\"a\"}\n");
    HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> NodeEventReader.read(log));
    assertEquals(log + ":2:43: \"icount\" must be an integer", e.getMessage());

    Files.writeString(log, "{\"type\":\"reboot\",\"node\":\"n1\"}\n");
    assertEquals("unknown event type \"reboot\"", assertThrows(HistoryFormatException.class, () -> NodeEventReader.read(log)).reason());
    Files.writeString(log, "{\"type\":\"role\",\"node\":\"n1\",\"epoch\":1,\"time\":3}\n");
    assertEquals("event has no \"role\"", assertThrows(HistoryFormatException.class, () -> NodeEventReader.read(log)).reason());
    Files.writeString(log, "{\"type\":\"role\",\"node\":\"n1\",\"epoch\":-1,\"role\":\"backup\",\"time\":3}\n");
    assertEquals("\"epoch\" must not be negative", assertThrows(HistoryFormatException.class, () -> NodeEventReader.read(log)).reason());
    Files.writeString(log, "\n\n{\"type\":\"role\",\"node\":\n");
    assertEquals(3, assertThrows(HistoryFormatException.class, () -> NodeEventReader.read(log)).line());
  }

  @Test
  void aTornLastLineIsDroppedOnlyWhenAskedAndOnlyAtTheEnd(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("events.jsonl");
    byte[] whole = (new String(NodeEventCodec.toJsonBytes(SAMPLE.get(0)), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] torn = "{\"type\":\"output\",\"node\":\"n1\",\"ep".getBytes(StandardCharsets.UTF_8);
    byte[] both = new byte[whole.length + torn.length];
    System.arraycopy(whole, 0, both, 0, whole.length);
    System.arraycopy(torn, 0, both, whole.length, torn.length);
    Files.write(log, both);
    assertThrows(HistoryFormatException.class, () -> NodeEventReader.read(log));
    NodeEventReader.Log tolerant = NodeEventReader.readTolerant(log);
    assertTrue(tolerant.tornTail());
    assertEquals(List.of(SAMPLE.get(0)), tolerant.events());

    Files.writeString(log, new String(torn, StandardCharsets.UTF_8) + "\n" + new String(whole, StandardCharsets.UTF_8));
    assertThrows(HistoryFormatException.class, () -> NodeEventReader.readTolerant(log));
    Files.write(log, whole);
    assertFalse(NodeEventReader.readTolerant(log).tornTail());
  }

  @Test
  void unknownFieldsAreIgnoredForForwardCompatibility() throws Exception {
    NodeEvent e = NodeEventCodec.parse("{\"type\":\"state-hash\",\"node\":\"n1\",\"icount\":1,\"hash\":\"a\",\"pc\":4}", "x", 1);
    assertEquals(new NodeEvent.StateHash("n1", 1, "a"), e);
    Set<String> types = new HashSet<>();
    for (NodeEvent s : SAMPLE) {
      types.add(s.type());
    }
    assertEquals(Set.of("output", "state-hash", "role", "golive", "caught-up", "divergence"), types);
  }

  @Test
  void anOutputFromBeforeTheGatesWordWasLoggedReadsWithoutIt() throws Exception {
    String legacy = "{\"type\":\"output\",\"node\":\"n1\",\"epoch\":1,\"outSeq\":5,\"clientId\":7,\"reqSeq\":3,"
        + "\"bytesHash\":\"9f86d081\",\"time\":1234,\"acked\":true}";
    NodeEvent.Output o = (NodeEvent.Output) NodeEventCodec.parse(legacy, "x", 1);
    assertEquals(null, o.release());
    assertEquals(legacy, new String(NodeEventCodec.toJsonBytes(o), StandardCharsets.UTF_8));
    HistoryFormatException half = assertThrows(HistoryFormatException.class, () -> NodeEventCodec.parse(
        legacy.replace("}", ",\"entrySeq\":9}"), "x", 2));
    assertEquals("event has no \"icount\"", half.reason());
  }

  @Test
  void aStateHashWithoutEpochReadsAsUnknownAndIsWrittenBackAsItWas(@TempDir Path dir) throws Exception {
    String legacy = "{\"type\":\"state-hash\",\"node\":\"n2\",\"icount\":16384,\"hash\":\"7f\"}";
    NodeEvent.StateHash h = (NodeEvent.StateHash) NodeEventCodec.parse(legacy, "x", 1);
    assertEquals(NodeEvent.StateHash.UNKNOWN_EPOCH, h.epoch());
    assertFalse(h.hasEpoch());
    assertEquals(null, h.role());
    assertEquals(legacy, new String(NodeEventCodec.toJsonBytes(h), StandardCharsets.UTF_8));

    Path log = dir.resolve("events.jsonl");
    NodeEvent.StateHash backup = new NodeEvent.StateHash("n2", 3, NodeEvent.RoleChange.BACKUP, 16384, "7f");
    NodeEvent.StateHash epochZero = new NodeEvent.StateHash("n2", 0, null, 32768, "80");
    try (NodeEventWriter w = NodeEventWriter.open(log)) {
      w.write(h);
      w.write(backup);
      w.write(epochZero);
    }
    assertEquals(List.of(h, backup, epochZero), NodeEventReader.read(log));
    assertTrue(epochZero.hasEpoch(), "epoch 0 is an epoch, not a missing one");
  }

  @Test
  void aStateHashWithABadEpochOrRoleIsNamed() {
    HistoryFormatException negative = assertThrows(HistoryFormatException.class, () -> NodeEventCodec.parse(
        "{\"type\":\"state-hash\",\"node\":\"n1\",\"epoch\":-1,\"icount\":1,\"hash\":\"a\"}", "x", 4));
    assertEquals("x:4:42: \"epoch\" must not be negative", negative.getMessage());
    HistoryFormatException role = assertThrows(HistoryFormatException.class, () -> NodeEventCodec.parse(
        "{\"type\":\"state-hash\",\"node\":\"n1\",\"epoch\":2,\"role\":7,\"icount\":1,\"hash\":\"a\"}", "x", 1));
    assertEquals("\"role\" must be a string", role.reason());
    assertThrows(IllegalArgumentException.class, () -> new NodeEvent.StateHash("n1", -2, null, 1, "a"));
  }
}
