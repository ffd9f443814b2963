package dev.lockstep.ftvm.ft;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Encodes and decodes the payload of each frame type; a malformed payload is a {@link FrameException}. */
final class Payloads {
  static final int NONCE_BYTES = 16;
  static final int MAC_BYTES = 32;
  static final int NAME_BYTES_MAX = 1024;
  /** A batch's header: the entry count and the first entry's seq (the others follow it one by one). */
  static final int BATCH_HEADER_BYTES = 4 + 8;
  /**
   * An entry's header: its kind, then the change of icount from the entry before it (the first: from
   * 0), zigzag-encoded, and the payload's length, both as little-endian base-128 varints.
   */
  static final int ENTRY_HEADER_BYTES_MIN = 1 + 1 + 1;
  static final int ENTRY_HEADER_BYTES_MAX = 1 + 10 + 5;
  static final int CONTROL_CLOSE = 1;

  private Payloads() {}

  record Hello(String cluster, String nodeId, byte[] nonce) {}

  record Challenge(String nodeId, byte[] nonce, byte[] mac) {}

  record Ack(long seq, long executedIcount) {}

  record SnapshotChunk(long icount, long totalBytes, long offset, byte[] data) {}

  static byte[] hello(Hello h) {
    byte[] c = utf8(h.cluster());
    byte[] n = utf8(h.nodeId());
    return ByteBuffer.allocate(2 + c.length + 2 + n.length + NONCE_BYTES)
        .putShort((short) c.length).put(c).putShort((short) n.length).put(n).put(h.nonce()).array();
  }

  static Hello hello(byte[] payload) {
    return parse(payload, FrameType.HELLO, b -> new Hello(string(b), string(b), bytes(b, NONCE_BYTES)));
  }

  static byte[] challenge(Challenge c) {
    byte[] n = utf8(c.nodeId());
    return ByteBuffer.allocate(2 + n.length + NONCE_BYTES + MAC_BYTES)
        .putShort((short) n.length).put(n).put(c.nonce()).put(c.mac()).array();
  }

  static Challenge challenge(byte[] payload) {
    return parse(payload, FrameType.CHALLENGE, b -> new Challenge(string(b), bytes(b, NONCE_BYTES), bytes(b, MAC_BYTES)));
  }

  static byte[] response(byte[] mac) {
    return mac.clone();
  }

  static byte[] responseMac(byte[] payload) {
    return parse(payload, FrameType.RESPONSE, b -> bytes(b, MAC_BYTES));
  }

  /** Most bytes one entry takes on the wire, to split batches by {@link ChannelSettings#batchBytesMax()}. */
  static int entryBytes(LogEntry e) {
    return ENTRY_HEADER_BYTES_MAX + e.event().payload().length;
  }

  /** Consecutive entries (seq by seq) in one batch payload. */
  static byte[] batch(List<LogEntry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a log batch needs at least one entry");
    }
    long firstSeq = entries.get(0).seq();
    ByteBuffer b = ByteBuffer.allocate(batchBytes(entries)).putInt(entries.size()).putLong(firstSeq);
    long icount = 0;
    for (LogEntry e : entries) {
      Event ev = e.event();
      b.put((byte) ev.kind().code());
      putVar(b, zigzag(ev.icount() - icount));
      putVar(b, ev.payload().length);
      b.put(ev.payload());
      icount = ev.icount();
    }
    return b.array();
  }

  /** The exact size of {@link #batch(List)}'s payload for {@code entries}, which must be consecutive. */
  static int batchBytes(List<LogEntry> entries) {
    long firstSeq = entries.get(0).seq();
    int size = BATCH_HEADER_BYTES;
    long icount = 0;
    for (int i = 0; i < entries.size(); i++) {
      LogEntry e = entries.get(i);
      if (e.seq() != firstSeq + i) {
        throw new IllegalArgumentException("log entry seq " + e.seq() + " does not follow " + (firstSeq + i - 1));
      }
      Event ev = e.event();
      size += 1 + varBytes(zigzag(ev.icount() - icount)) + varBytes(ev.payload().length) + ev.payload().length;
      icount = ev.icount();
    }
    return size;
  }

  static List<LogEntry> batch(byte[] payload) {
    return parse(payload, FrameType.LOG_BATCH, b -> {
      int count = b.getInt();
      long seq = b.getLong();
      if (count < 1 || (long) count * ENTRY_HEADER_BYTES_MIN > b.remaining()) {
        throw new FrameException("log batch claims " + count + " entries in " + b.remaining() + " bytes");
      }
      if (seq < 1 || seq > Long.MAX_VALUE - count) {
        throw new FrameException("log batch starts at seq " + seq);
      }
      List<LogEntry> out = new ArrayList<>(count);
      long icount = 0;
      for (int i = 0; i < count; i++, seq++) {
        int code = Byte.toUnsignedInt(b.get());
        EventKind kind = EventKind.fromCode(code);
        if (kind == null) {
          throw new FrameException("log entry " + seq + " has unknown event kind " + code);
        }
        long delta = unzigzag(getVar(b, 10, seq));
        long len = getVar(b, 5, seq);
        if ((delta > 0 && icount > Long.MAX_VALUE - delta) || icount + delta < 0) {
          throw new FrameException("log entry " + seq + " moves the icount from " + icount + " by " + delta);
        }
        icount += delta;
        if (len > b.remaining()) {
          throw new FrameException("log entry " + seq + " claims a payload of " + len + " bytes");
        }
        out.add(new LogEntry(seq, new Event(icount, kind, bytes(b, (int) len))));
      }
      return out;
    });
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  /** Bytes of {@code v} as an unsigned varint. */
  private static int varBytes(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private static void putVar(ByteBuffer b, long v) {
    while ((v & ~0x7FL) != 0) {
      b.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    b.put((byte) v);
  }

  /** An unsigned varint of at most {@code maxBytes} bytes (5 holds a u32, 10 a u64). */
  private static long getVar(ByteBuffer b, int maxBytes, long seq) {
    long v = 0;
    for (int i = 0; i < maxBytes; i++) {
      int x = Byte.toUnsignedInt(b.get());
      if (i == 9 && x > 1) {
        break; // more than 64 bits
      }
      v |= (long) (x & 0x7F) << (7 * i);
      if ((x & 0x80) == 0) {
        if (maxBytes == 5 && v > Integer.MAX_VALUE) {
          break;
        }
        return v;
      }
    }
    throw new FrameException("log entry " + seq + " has a malformed varint");
  }

  static byte[] ack(Ack a) {
    return ByteBuffer.allocate(16).putLong(a.seq()).putLong(a.executedIcount()).array();
  }

  static Ack ack(byte[] payload) {
    return parse(payload, FrameType.ACK, b -> new Ack(b.getLong(), b.getLong()));
  }

  static byte[] progress(long icount) {
    return ByteBuffer.allocate(8).putLong(icount).array();
  }

  static long progress(byte[] payload) {
    return parse(payload, FrameType.PROGRESS, ByteBuffer::getLong);
  }

  static byte[] snapshotChunk(SnapshotChunk c) {
    return ByteBuffer.allocate(24 + c.data().length)
        .putLong(c.icount()).putLong(c.totalBytes()).putLong(c.offset()).put(c.data()).array();
  }

  static SnapshotChunk snapshotChunk(byte[] payload) {
    return parse(payload, FrameType.SNAPSHOT_CHUNK, b -> {
      long icount = b.getLong();
      long total = b.getLong();
      long offset = b.getLong();
      return new SnapshotChunk(icount, total, offset, bytes(b, b.remaining()));
    });
  }

  static byte[] close(String reason) {
    byte[] r = utf8(reason.length() > NAME_BYTES_MAX / 4 ? reason.substring(0, NAME_BYTES_MAX / 4) : reason);
    return ByteBuffer.allocate(1 + 2 + r.length).put((byte) CONTROL_CLOSE).putShort((short) r.length).put(r).array();
  }

  /** The reason of a close control message. */
  static String control(byte[] payload) {
    return parse(payload, FrameType.CONTROL, b -> {
      int code = Byte.toUnsignedInt(b.get());
      if (code != CONTROL_CLOSE) {
        throw new FrameException("unknown control code " + code);
      }
      return string(b);
    });
  }

  private interface Parser<T> {
    T parse(ByteBuffer b);
  }

  private static <T> T parse(byte[] payload, FrameType type, Parser<T> parser) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    T value;
    try {
      value = parser.parse(b);
    } catch (BufferUnderflowException e) {
      throw new FrameException("malformed " + type + " payload: too short (" + payload.length + " bytes)");
    }
    if (b.hasRemaining()) {
      throw new FrameException("malformed " + type + " payload: " + b.remaining() + " trailing bytes");
    }
    return value;
  }

  private static byte[] utf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > NAME_BYTES_MAX) {
      throw new IllegalArgumentException("name longer than " + NAME_BYTES_MAX + " bytes");
    }
    return b;
  }

  private static String string(ByteBuffer b) {
    int len = Short.toUnsignedInt(b.getShort());
    if (len > NAME_BYTES_MAX) {
      throw new FrameException("name of " + len + " bytes exceeds " + NAME_BYTES_MAX);
    }
    return new String(bytes(b, len), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer b, int len) {
    if (len > b.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] out = new byte[len];
    b.get(out);
    return out;
  }
}
