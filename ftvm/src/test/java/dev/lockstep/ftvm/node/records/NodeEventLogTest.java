package dev.lockstep.ftvm.node.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.histories.events.NodeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeEventLogTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private long now = 5_000;

  @Test
  void bytesHashIsCrcThenLengthInFixedWidthHex() {
    SplittableRandom r = new SplittableRandom(7);
    for (int n : new int[] {0, 1, 16, 255, 4096, 70_000}) {
      byte[] p = new byte[n];
      r.nextBytes(p);
      CRC32C crc = new CRC32C();
      crc.update(p);
      assertEquals(String.format("%08x%04x", crc.getValue(), n & 0xFFFF), NodeEventLog.bytesHash(p));
    }
  }

  @Test
  void suppressedOutputNotesCarryTheNoteFieldsAndReachTheFileWithTheNextNote() throws Exception {
    NodeEventLog log = new NodeEventLog(dir.resolve("events.jsonl"), "n\"1", () -> now);
    byte[] packet = new byte[24];
    packet[0] = 3; // clientId
    packet[4] = 9; // reqSeq
    packet[8] = 2; // outSeq
    log.suppressed(4, packet);
    assertFalse(Files.readString(notes()).contains("suppressed-output"), "buffered until the next note");
    log.note("other", Map.of("k", 1));
    List<String> lines = Files.readAllLines(notes());
    assertEquals(2, lines.size());
    JsonNode j = JSON.readTree(lines.get(0));
    assertEquals(List.of("type", "node", "time", "epoch", "outSeq", "clientId", "reqSeq", "bytesHash", "acked"),
        iterate(j));
    assertEquals("suppressed-output", j.path("type").asText());
    assertEquals("n\"1", j.path("node").asText());
    assertEquals(5_000, j.path("time").asLong());
    assertEquals(4, j.path("epoch").asLong());
    assertEquals(2, j.path("outSeq").asLong());
    assertEquals(3, j.path("clientId").asLong());
    assertEquals(9, j.path("reqSeq").asLong());
    assertEquals(NodeEventLog.bytesHash(packet), j.path("bytesHash").asText());
    assertFalse(j.path("acked").asBoolean(true));
    log.close();
  }

  @Test
  void suppressedOutputNotesWaitAtMostTheFlushInterval() throws Exception {
    NodeEventLog log = new NodeEventLog(dir.resolve("events.jsonl"), "n1", () -> now);
    log.suppressed(1, new byte[24]);
    now += NodeEventLog.SUPPRESSED_FLUSH_NANOS;
    log.suppressed(1, new byte[24]);
    assertEquals(2, Files.readAllLines(notes()).size());
    log.close();
  }

  @Test
  void aFullEventLogReportsOnceAndDropsLaterRecordsWithinItsBound() throws Exception {
    Path file = dir.resolve("events.jsonl");
    long bound = 600;
    NodeEventLog log = new NodeEventLog(file, "n1", () -> now, bound);
    List<String> reasons = new ArrayList<>();
    log.onFull(reasons::add);
    for (int outSeq = 1; outSeq <= 20; outSeq++) {
      byte[] packet = new byte[24];
      packet[8] = (byte) outSeq;
      log.released(1, packet, true, acked(outSeq));
      log.flushReleased();
    }
    log.role(1, "halted");
    assertEquals(1, reasons.size(), "reasons " + reasons);
    assertTrue(reasons.get(0).contains(file.toString()), reasons.get(0));
    long size = Files.size(file);
    assertTrue(size > 0 && size <= bound, "size " + size);
    List<String> lines = Files.readAllLines(file);
    assertTrue(lines.size() < 20, "lines " + lines.size());
    log.note("after", Map.of("k", 1));
    assertTrue(Files.readString(notes()).contains("\"after\""), "notes are still written");
    log.close();
  }

  @Test
  void releasedOutputsReachTheFileAtTheEndOfTheBurstInReleaseOrder() throws Exception {
    Path file = dir.resolve("events.jsonl");
    NodeEventLog log = new NodeEventLog(file, "n1", () -> now);
    for (int outSeq = 1; outSeq <= 3; outSeq++) {
      byte[] packet = new byte[24];
      packet[8] = (byte) outSeq;
      log.released(2, packet, true, acked(10 + outSeq));
    }
    assertEquals(0, Files.readAllLines(file).size(), "waits for the end of the burst");
    log.flushReleased();
    assertEquals(List.of(1L, 2L, 3L), outSeqs(file));
    JsonNode first = JSON.readTree(Files.readAllLines(file).get(0));
    assertEquals(11, first.path("entrySeq").asLong());
    assertEquals(11, first.path("ackedSeq").asLong());
    assertEquals(1100, first.path("icount").asLong());
    assertEquals("with-backup", first.path("gate").asText());
    log.released(2, new byte[24], false, new NodeEvent.Release(20, 2000, 0, NodeEvent.Release.ALONE));
    log.role(2, "primary");
    List<String> lines = Files.readAllLines(file);
    assertEquals(5, lines.size(), "another event writes the outputs waiting before it");
    assertEquals("output", JSON.readTree(lines.get(3)).path("type").asText());
    assertEquals("role", JSON.readTree(lines.get(4)).path("type").asText());
    log.released(2, new byte[24], true, acked(21));
    log.close();
    assertEquals(6, Files.readAllLines(file).size(), "close writes what waits");
    log.released(2, new byte[24], true, acked(21));
    log.flushReleased();
    assertEquals(6, Files.readAllLines(file).size(), "nothing after close");
  }

  /** The gate's word on an output whose entry {@code seq} the backup acked. */
  private static NodeEvent.Release acked(long seq) {
    return new NodeEvent.Release(seq, seq * 100, seq, NodeEvent.Release.WITH_BACKUP);
  }

  private static List<Long> outSeqs(Path file) throws Exception {
    List<Long> out = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      out.add(JSON.readTree(line).path("outSeq").asLong());
    }
    return out;
  }

  private Path notes() {
    return dir.resolve(NodeEventLog.NOTES_JSONL);
  }

  private static List<String> iterate(JsonNode j) {
    List<String> names = new java.util.ArrayList<>();
    j.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
