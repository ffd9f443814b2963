package dev.lockstep.ftvm.ft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadsTest {

  private static LogEntry entry(long seq, long icount, EventKind kind, int payloadBytes) {
    byte[] p = new byte[payloadBytes];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (seq * 31 + i);
    }
    return new LogEntry(seq, new Event(icount, kind, p));
  }

  @Test
  void aBatchComesBackEntryForEntry() {
    List<LogEntry> in = List.of(
        entry(7, 0, EventKind.PACKET, 0),
        entry(8, 0, EventKind.RNG, 4),
        entry(9, 1L << 40, EventKind.NIC_TX, 200),
        entry(10, (1L << 40) + 1, EventKind.DISK_DONE, 70_000),
        entry(11, Long.MAX_VALUE, EventKind.TIMER, 1));
    List<LogEntry> out = Payloads.batch(Payloads.batch(in));
    assertEquals(in.size(), out.size());
    for (int i = 0; i < in.size(); i++) {
      assertEquals(in.get(i).seq(), out.get(i).seq());
      assertEquals(in.get(i).event().icount(), out.get(i).event().icount());
      assertEquals(in.get(i).event().kind(), out.get(i).event().kind());
      assertArrayEquals(in.get(i).event().payload(), out.get(i).event().payload());
    }
  }

  @Test
  void entriesCostAFewBytesBesideTheirPayloadAndNeverMoreThanTheBound() {
    // a request and its reply, as a kv primary logs them: about 6 bytes of header each
    List<LogEntry> pair = List.of(entry(1, 123_456_789, EventKind.PACKET, 24), entry(2, 123_456_950, EventKind.NIC_TX, 20));
    int bytes = Payloads.batch(pair).length;
    assertTrue(bytes <= Payloads.BATCH_HEADER_BYTES + 24 + 20 + 2 * 6, "batch of " + bytes + " bytes");
    for (LogEntry e : pair) {
      int alone = Payloads.batch(List.of(e)).length - Payloads.BATCH_HEADER_BYTES;
      assertTrue(alone <= Payloads.entryBytes(e), "entryBytes bounds what an entry takes");
    }
  }

  @Test
  void onlyConsecutiveEntriesMakeABatch() {
    assertThrows(IllegalArgumentException.class,
        () -> Payloads.batch(List.of(entry(1, 10, EventKind.RNG, 1), entry(3, 20, EventKind.RNG, 1))));
    assertThrows(IllegalArgumentException.class, () -> Payloads.batch(List.of()));
  }

  @Test
  void malformedBatchesAreFrameErrorsThatSayWhat() {
    byte[] good = Payloads.batch(List.of(entry(1, 10, EventKind.RNG, 4), entry(2, 20, EventKind.NIC_TX, 4)));
    assertRejected(java.util.Arrays.copyOf(good, good.length - 1), "claims a payload");
    assertRejected(java.util.Arrays.copyOf(good, 10), "too short");
    assertRejected(withTrailer(good, (byte) 0), "trailing");
    assertRejected(batchOf(1_000, 1, new byte[] {(byte) EventKind.RNG.code(), 0, 0}), "claims 1000 entries");
    assertRejected(batchOf(1, 0, new byte[] {(byte) EventKind.RNG.code(), 0, 0}), "starts at seq 0");
    assertRejected(batchOf(1, 1, new byte[] {(byte) 0xEE, 0, 0}), "unknown event kind");
    byte[] overlong = new byte[13];
    overlong[0] = (byte) EventKind.RNG.code();
    java.util.Arrays.fill(overlong, 1, 12, (byte) 0x80);
    assertRejected(batchOf(1, 1, overlong), "malformed varint");
    // a first icount of 2^62 (zigzag 2^63), then a step of 2^62 more: past the largest icount
    ByteArrayOutputStream twice = new ByteArrayOutputStream();
    for (int i = 0; i < 2; i++) {
      twice.write(EventKind.RNG.code());
      twice.writeBytes(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
          (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});
      twice.write(0);
    }
    assertRejected(batchOf(2, 1, twice.toByteArray()), "moves the icount");
    byte[] longLength = {(byte) EventKind.RNG.code(), 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
    assertRejected(batchOf(1, 1, longLength), "malformed varint");
  }

  private static byte[] batchOf(int count, long firstSeq, byte[] entries) {
    return ByteBuffer.allocate(Payloads.BATCH_HEADER_BYTES + entries.length)
        .putInt(count).putLong(firstSeq).put(entries).array();
  }

  private static byte[] withTrailer(byte[] b, byte extra) {
    byte[] out = java.util.Arrays.copyOf(b, b.length + 1);
    out[b.length] = extra;
    return out;
  }

  private static void assertRejected(byte[] payload, String says) {
    FrameException e = assertThrows(FrameException.class, () -> Payloads.batch(payload));
    assertTrue(e.getMessage().contains(says), e.getMessage());
  }
}
