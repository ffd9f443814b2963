package dev.lockstep.ftvm.replay;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Writes a replay log ({@link ReplayLogFormat}); an {@link EventSink}. Not thread-safe. */
public final class ReplayLogWriter implements EventSink, Closeable {
  private static final int BUFFER_BYTES = 1 << 16;

  private final OutputStream out;
  private final CRC32C crc = new CRC32C();
  private final ByteBuffer head = ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
  private long lastIcount;
  private long records;

  public ReplayLogWriter(OutputStream out, ReplayLogHeader header) throws IOException {
    this.out = new BufferedOutputStream(out, BUFFER_BYTES);
    ByteBuffer b = ByteBuffer.allocate(ReplayLogFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(ReplayLogFormat.MAGIC).putShort((short) ReplayLogFormat.VERSION)
        .putShort((short) ReplayLogFormat.HEADER_BODY_BYTES)
        .putInt(header.ramBytes()).putLong(header.diskSectors()).put(header.imageSha256());
    crc.reset();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    this.out.write(b.array());
  }

  public static ReplayLogWriter create(Path path, ReplayLogHeader header) throws IOException {
    return new ReplayLogWriter(Files.newOutputStream(path), header);
  }

  /** Appends one record. @throws UncheckedIOException when the file cannot be written */
  @Override
  public void append(Event e) {
    if (e.icount() < lastIcount) {
      throw new IllegalArgumentException("event " + e + " goes back before icount " + lastIcount);
    }
    byte[] p = e.payload();
    if (p.length > ReplayLogFormat.PAYLOAD_BYTES_MAX) {
      throw new IllegalArgumentException("payload of " + p.length + " bytes exceeds " + ReplayLogFormat.PAYLOAD_BYTES_MAX);
    }
    lastIcount = e.icount();
    head.clear();
    head.put((byte) e.kind().code()).putLong(e.icount()).putInt(p.length);
    crc.reset();
    crc.update(head.array(), 0, 13);
    crc.update(p, 0, p.length);
    tail.clear();
    tail.putInt((int) crc.getValue());
    try {
      out.write(head.array(), 0, 13);
      out.write(p);
      out.write(tail.array(), 0, 4);
    } catch (IOException ex) {
      throw new UncheckedIOException("writing the replay log", ex);
    }
    records++;
  }

  public long records() {
    return records;
  }

  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
