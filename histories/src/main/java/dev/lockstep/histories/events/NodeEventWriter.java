package dev.lockstep.histories.events;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends events to a node's event log, one JSON line each. Thread-safe. Every event is handed to
 * the operating system in a single write before {@link #write} returns: no queue, so an event that
 * was written survives a SIGKILL of the node a moment later (it does not survive a power cut; the
 * log is not fsynced).
 *
 * <p>TRICKY: writing synchronously is deliberate. A split-brain or duplicate-output checker that
 * missed the last outputs of a killed primary, because they sat in a queue, would call a bad run
 * good. Bounded: a line may not exceed {@link #LINE_BYTES_MAX} and the file may not grow past its
 * byte bound; past it {@link #write} throws {@link EventLogFullException} and writes nothing.
 */
public final class NodeEventWriter implements Closeable {
  /** The longest line accepted; events hold short strings (ids, hex hashes). */
  public static final int LINE_BYTES_MAX = 4096;
  /** The default bound on the size of one log file. */
  public static final long FILE_BYTES_MAX_DEFAULT = 1L << 30;

  private final OutputStream out;
  private final Path path;
  private final long fileBytesMax;
  private long bytes;
  private boolean closed;

  private NodeEventWriter(OutputStream out, Path path, long initialBytes, long fileBytesMax) {
    this.out = out;
    this.path = path;
    this.bytes = initialBytes;
    this.fileBytesMax = fileBytesMax;
  }

  /** A writer appending to {@code path} (parent directories and file created as needed). */
  public static NodeEventWriter open(Path path) throws IOException {
    return open(path, FILE_BYTES_MAX_DEFAULT);
  }

  /** A writer appending to {@code path} that lets the file grow to {@code fileBytesMax} bytes. */
  public static NodeEventWriter open(Path path, long fileBytesMax) throws IOException {
    if (fileBytesMax <= 0) {
      throw new IllegalArgumentException("fileBytesMax must be positive: " + fileBytesMax);
    }
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    OutputStream os =
        Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    return new NodeEventWriter(os, path, Files.size(path), fileBytesMax);
  }

  /**
   * Appends one event as one line.
   *
   * @throws EventLogFullException when the line would take the file past its bound
   * @throws IllegalArgumentException when the event's line exceeds {@link #LINE_BYTES_MAX}
   */
  public synchronized void write(NodeEvent event) throws IOException {
    writeAll(List.of(event));
  }

  /**
   * Appends the events as lines in one write: all of them or, when one is too long or the file
   * would pass its bound, none (with the exceptions of {@link #write}).
   */
  public synchronized void writeAll(List<? extends NodeEvent> events) throws IOException {
    if (closed) {
      throw new IllegalStateException("event log " + path + " is closed");
    }
    ByteArrayOutputStream lines = new ByteArrayOutputStream(160 * events.size());
    NodeEventCodec.appendLines(events, lines, LINE_BYTES_MAX);
    if (bytes + lines.size() > fileBytesMax) {
      throw new EventLogFullException("event log " + path + " would exceed " + fileBytesMax + " bytes");
    }
    lines.writeTo(out);
    bytes += lines.size();
  }

  /** Bytes in the file, counting those there before this writer opened it. */
  public synchronized long bytes() {
    return bytes;
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
