package dev.lockstep.histories;

import dev.lockstep.histories.format.EdnWriter;
import dev.lockstep.histories.format.JsonOps;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a history one op at a time, one op per line, in any {@link Format}: JSON Lines, a JSON
 * array (opened at the first op, closed by {@link #close}) or a stream of EDN maps as Jepsen's
 * {@code history.edn}. Thread-safe: ops from many client threads land whole, each on its own line,
 * in the order {@link #write} was called.
 *
 * <p>Opened by {@link #open} (for a harness recording ops as they happen) every op is handed to the
 * operating system as one write before {@link #write} returns, so a harness that is killed loses no
 * op it has written. Opened by {@link #buffered} ops are buffered until {@link #close}.
 */
public final class HistoryWriter implements Closeable, Flushable {
  private static final int BUFFER_BYTES = 1 << 20;
  private static final byte[] NEWLINE = {'\n'};

  private final OutputStream out;
  private final Format format;
  private final boolean flushEachOp;
  private long count;
  private boolean closed;

  private HistoryWriter(OutputStream out, Format format, boolean flushEachOp) {
    this.out = flushEachOp ? out : new BufferedOutputStream(out, BUFFER_BYTES);
    this.format = format;
    this.flushEachOp = flushEachOp;
  }

  /** A writer that creates (or truncates) {@code path} and flushes after every op. */
  public static HistoryWriter open(Path path, Format format) throws IOException {
    return new HistoryWriter(Files.newOutputStream(path), format, true);
  }

  /**
   * A writer that appends to {@code path}, creating it if needed, and flushes after every op;
   * JSON Lines and EDN only, whose files stay well-formed when ops are added at the end.
   */
  public static HistoryWriter append(Path path, Format format) throws IOException {
    if (format == Format.JSON) {
      throw new IllegalArgumentException("a JSON array cannot be appended to; use JSONL or EDN");
    }
    OutputStream os =
        Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    return new HistoryWriter(os, format, true);
  }

  /** A writer that creates (or truncates) {@code path} and buffers until closed: for whole histories. */
  public static HistoryWriter buffered(Path path, Format format) throws IOException {
    return new HistoryWriter(Files.newOutputStream(path), format, false);
  }

  /** A writer onto a stream the caller owns; {@link #close} closes it. */
  public static HistoryWriter to(OutputStream out, Format format, boolean flushEachOp) {
    return new HistoryWriter(out, format, flushEachOp);
  }

  /** Writes one op as one line. */
  public synchronized void write(Op op) throws IOException {
    if (closed) {
      throw new IllegalStateException("history writer is closed");
    }
    // TRICKY: the whole line goes out in one write() so a kill cannot leave half an op behind a
    // whole one; the JSON array's separator travels with the op for the same reason.
    out.write(line(op));
    if (flushEachOp) {
      out.flush();
    }
    count++;
  }

  private byte[] line(Op op) {
    switch (format) {
      case EDN -> {
        StringBuilder sb = new StringBuilder(96);
        EdnWriter.appendOp(sb, op);
        return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
      }
      case JSONL -> {
        return concat(null, JsonOps.toJsonBytes(op), NEWLINE);
      }
      default -> {
        byte[] lead = (count == 0 ? "[" : ",\n ").getBytes(StandardCharsets.US_ASCII);
        return concat(lead, JsonOps.toJsonBytes(op), null);
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b, byte[] c) {
    int la = a == null ? 0 : a.length;
    int lc = c == null ? 0 : c.length;
    byte[] all = new byte[la + b.length + lc];
    if (a != null) {
      System.arraycopy(a, 0, all, 0, la);
    }
    System.arraycopy(b, 0, all, la, b.length);
    if (c != null) {
      System.arraycopy(c, 0, all, la + b.length, lc);
    }
    return all;
  }

  /** The number of ops written so far. */
  public synchronized long count() {
    return count;
  }

  @Override
  public synchronized void flush() throws IOException {
    out.flush();
  }

  /** Closes the JSON array if there is one, flushes and closes the file. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (OutputStream o = out) {
      if (format == Format.JSON) {
        o.write((count == 0 ? "[]\n" : "]\n").getBytes(StandardCharsets.US_ASCII));
      }
      o.flush();
    }
  }
}
