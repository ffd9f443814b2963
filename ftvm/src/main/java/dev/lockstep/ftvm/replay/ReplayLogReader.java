package dev.lockstep.ftvm.replay;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads a replay log ({@link ReplayLogFormat}) as an {@link EventSource}. Every record's checksum is
 * verified as it is read; a truncated, corrupted or out-of-order record throws
 * {@link ReplayLogException} naming its byte offset. Not thread-safe.
 */
public final class ReplayLogReader implements EventSource, Closeable {
  private static final int BUFFER_BYTES = 1 << 16;

  private final InputStream in;
  private final ReplayLogHeader header;
  private final CRC32C crc = new CRC32C();
  private final byte[] head = new byte[13];
  private final byte[] tail = new byte[4];
  private long offset;
  private long lastIcount;
  private Event next;
  private boolean ended;

  public ReplayLogReader(InputStream in) throws IOException {
    this.in = new BufferedInputStream(in, BUFFER_BYTES);
    this.header = readHeader();
  }

  public static ReplayLogReader open(Path path) throws IOException {
    return new ReplayLogReader(Files.newInputStream(path));
  }

  public ReplayLogHeader header() {
    return header;
  }

  private ReplayLogHeader readHeader() throws IOException {
    byte[] h = new byte[ReplayLogFormat.HEADER_BYTES];
    int n = in.readNBytes(h, 0, 8);
    if (n < 8) {
      throw new ReplayLogException("truncated header (" + n + " of " + ReplayLogFormat.HEADER_BYTES + " bytes)", n);
    }
    ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt(0) != ReplayLogFormat.MAGIC) {
      throw new ReplayLogException("has bad magic (not a replay log)", 0);
    }
    int version = b.getShort(4) & 0xFFFF;
    if (version != ReplayLogFormat.VERSION) {
      throw new ReplayLogException("version " + version + " not supported (this build reads version "
          + ReplayLogFormat.VERSION + ")", 4);
    }
    int body = b.getShort(6) & 0xFFFF;
    if (body != ReplayLogFormat.HEADER_BODY_BYTES) {
      throw new ReplayLogException("header body of " + body + " bytes, expected " + ReplayLogFormat.HEADER_BODY_BYTES, 6);
    }
    n = in.readNBytes(h, 8, h.length - 8);
    if (n < h.length - 8) {
      throw new ReplayLogException("truncated header (" + (8 + n) + " of " + h.length + " bytes)", 8 + n);
    }
    crc.reset();
    crc.update(h, 0, h.length - 4);
    if ((int) crc.getValue() != b.getInt(h.length - 4)) {
      throw new ReplayLogException("header checksum mismatch", h.length - 4);
    }
    byte[] digest = new byte[ReplayLogHeader.SHA256_BYTES];
    b.get(20, digest);
    offset = h.length;
    return new ReplayLogHeader(b.getInt(8), b.getLong(12), digest);
  }

  @Override
  public Event peek() {
    if (next == null && !ended) {
      next = readRecord();
      ended = next == null;
    }
    return next;
  }

  @Override
  public Event take() {
    Event e = peek();
    next = null;
    return e;
  }

  /** Byte offset of the next unread record. */
  public long offset() {
    return offset;
  }

  private Event readRecord() {
    long at = offset;
    try {
      int n = in.readNBytes(head, 0, 13);
      if (n == 0) {
        return null;
      }
      if (n < 13) {
        throw new ReplayLogException("truncated record header (" + n + " of 13 bytes)", at);
      }
      ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
      int len = b.getInt(9);
      if (len < 0 || len > ReplayLogFormat.PAYLOAD_BYTES_MAX) {
        throw new ReplayLogException("record payload length " + (len & 0xFFFF_FFFFL) + " exceeds "
            + ReplayLogFormat.PAYLOAD_BYTES_MAX + " (corrupt record)", at + 9);
      }
      byte[] payload = in.readNBytes(len);
      if (payload.length < len) {
        throw new ReplayLogException("truncated record payload (" + payload.length + " of " + len + " bytes)", at + 13);
      }
      n = in.readNBytes(tail, 0, 4);
      if (n < 4) {
        throw new ReplayLogException("truncated record checksum", at + 13 + len);
      }
      crc.reset();
      crc.update(head, 0, 13);
      crc.update(payload, 0, len);
      if ((int) crc.getValue() != ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN).getInt()) {
        throw new ReplayLogException("record checksum mismatch (corrupt record)", at);
      }
      EventKind kind = EventKind.fromCode(head[0] & 0xFF);
      if (kind == null) {
        throw new ReplayLogException("unknown event kind " + (head[0] & 0xFF), at);
      }
      long icount = b.getLong(1);
      if (icount < lastIcount) {
        throw new ReplayLogException("icount " + icount + " goes back before " + lastIcount, at + 1);
      }
      lastIcount = icount;
      offset = at + 13 + len + 4;
      return new Event(icount, kind, payload);
    } catch (IOException e) {
      throw new ReplayLogException("unreadable (" + e.getMessage() + ")", at, e);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
