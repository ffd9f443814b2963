package dev.lockstep.ftvm.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay-log format round-trips and names the byte offset of every kind of damage. */
class ReplayLogTest {
  private static final ReplayLogHeader HEADER = ReplayLogHeader.of(16 << 20, 64, new byte[] {1, 2, 3});
  private static final List<Event> EVENTS = List.of(
      Event.ofLong(0, EventKind.CLOCK_MTIME, 123456789L),
      Event.ofInt(5, EventKind.RNG, -7),
      new Event(9, EventKind.PACKET, new byte[] {9, 8, 7}),
      new Event(9, EventKind.CONSOLE_OUT, new byte[] {'x'}),
      Event.of(12, EventKind.TIMER),
      Event.ofLong(20, EventKind.STATE_HASH, 0xCAFEL),
      Event.ofInt(20, EventKind.HALT, 3));

  private static byte[] write(List<Event> events) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ReplayLogWriter w = new ReplayLogWriter(out, HEADER)) {
      events.forEach(w::append);
    }
    return out.toByteArray();
  }

  private static List<Event> readAll(byte[] log) throws IOException {
    ReplayLogReader r = new ReplayLogReader(new ByteArrayInputStream(log));
    List<Event> out = new ArrayList<>();
    for (Event e = r.take(); e != null; e = r.take()) {
      out.add(e);
    }
    return out;
  }

  @Test
  void roundTrips() throws IOException {
    byte[] log = write(EVENTS);
    ReplayLogReader r = new ReplayLogReader(new ByteArrayInputStream(log));
    assertEquals(HEADER, r.header());
    assertEquals(EVENTS, readAll(log));
    assertEquals(ReplayLogFormat.HEADER_BYTES + EVENTS.stream()
        .mapToLong(e -> ReplayLogFormat.RECORD_OVERHEAD_BYTES + e.payload().length).sum(), log.length);
  }

  @Test
  void truncatedLogNamesTheOffsetOfTheCutRecord() throws IOException {
    byte[] log = write(EVENTS);
    int recordStart = ReplayLogFormat.HEADER_BYTES + 2 * ReplayLogFormat.RECORD_OVERHEAD_BYTES + 8 + 4;
    for (int cut : new int[] {recordStart + 5, recordStart + 14, log.length - 1}) {
      ReplayLogException e = assertThrows(ReplayLogException.class, () -> readAll(Arrays.copyOf(log, cut)));
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
      assertTrue(e.offset() >= recordStart - 0 && e.offset() <= cut, e.getMessage());
      assertTrue(e.getMessage().contains("byte offset " + e.offset()), e.getMessage());
    }
  }

  @Test
  void corruptedByteFailsTheChecksumAtItsRecord() throws IOException {
    byte[] log = write(EVENTS);
    int third = ReplayLogFormat.HEADER_BYTES + 2 * ReplayLogFormat.RECORD_OVERHEAD_BYTES + 8 + 4;
    byte[] bad = log.clone();
    bad[third + 14] ^= 0x40; // inside the PACKET payload
    ReplayLogException e = assertThrows(ReplayLogException.class, () -> readAll(bad));
    assertEquals(third, e.offset(), e.getMessage());
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void corruptedLengthIsBoundedNotAllocated() throws IOException {
    byte[] log = write(EVENTS);
    byte[] bad = log.clone();
    int first = ReplayLogFormat.HEADER_BYTES;
    bad[first + 12] = 0x7F; // payload length high byte
    ReplayLogException e = assertThrows(ReplayLogException.class, () -> readAll(bad));
    assertEquals(first + 9, e.offset());
  }

  @Test
  void headerDamageIsReported() throws IOException {
    byte[] log = write(EVENTS);
    byte[] magic = log.clone();
    magic[0] = 'X';
    assertTrue(assertThrows(ReplayLogException.class, () -> readAll(magic)).getMessage().contains("magic"));
    byte[] version = log.clone();
    version[4] = 9;
    ReplayLogException v = assertThrows(ReplayLogException.class, () -> readAll(version));
    assertTrue(v.getMessage().contains("version 9 not supported"), v.getMessage());
    byte[] digest = log.clone();
    digest[30] ^= 1;
    assertTrue(assertThrows(ReplayLogException.class, () -> readAll(digest)).getMessage().contains("header checksum"));
    assertTrue(assertThrows(ReplayLogException.class, () -> readAll(Arrays.copyOf(log, 20)))
        .getMessage().contains("truncated header"));
  }

  @Test
  void emptyLogAfterHeaderHasNoEvents() throws IOException {
    ReplayLogReader r = new ReplayLogReader(new ByteArrayInputStream(write(List.of())));
    assertNull(r.peek());
    assertNull(r.take());
  }

  @Test
  void writerRefusesGoingBackInIcount() throws IOException {
    try (ReplayLogWriter w = new ReplayLogWriter(new ByteArrayOutputStream(), HEADER)) {
      w.append(Event.of(10, EventKind.TIMER));
      assertThrows(IllegalArgumentException.class, () -> w.append(Event.of(9, EventKind.TIMER)));
    }
  }
}
