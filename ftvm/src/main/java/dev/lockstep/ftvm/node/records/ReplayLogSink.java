package dev.lockstep.ftvm.node.records;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventSink;
import dev.lockstep.ftvm.replay.ReplayLogHeader;
import dev.lockstep.ftvm.replay.ReplayLogWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node's replay log for this run (a segment named by {@link ReplaySegments}, the machine's
 * format): every event it recorded or replayed, in order. A backup's log starts at its snapshot's
 * icount; the snapshot is kept next to it ({@link #snapshotFile}). Events after {@link #close} (a
 * node that is ending) are dropped.
 *
 * <p>Buffered, and handed to the operating system ({@link #flushBeforeExchange}) before every batch
 * the primary sends and every ack the backup sends: a node killed with SIGKILL keeps its header and
 * every event up to its last exchange with its peer, and loses at most what it recorded since (one
 * batch in the making on a primary, the entries executed since the last ack on a backup; at most the
 * writer's buffer on a primary with no backup). Every other ending closes it.
 */
public final class ReplayLogSink implements EventSink, Flushable, Closeable {

  private final ReplayLogWriter writer;
  private final Path file;
  private final boolean flushOnExchange;
  private boolean closed;

  private ReplayLogSink(ReplayLogWriter writer, Path file, boolean flushOnExchange) {
    this.writer = writer;
    this.file = file;
    this.flushOnExchange = flushOnExchange;
  }

  /**
   * @param flushOnExchange whether {@link #flushBeforeExchange} writes the buffer through: a real node's
   *     log, which a SIGKILL would cut; the simulator's processes lose nothing their OS was given, so
   *     theirs need not pay a system call per batch
   */
  public static ReplayLogSink open(Path file, int ramBytes, long diskSectors, byte[] image, boolean flushOnExchange)
      throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    ReplayLogSink sink = new ReplayLogSink(
        ReplayLogWriter.create(file, ReplayLogHeader.of(ramBytes, diskSectors, image)), file, flushOnExchange);
    sink.flush(); // the header at once: a node killed before its first exchange leaves a readable, empty log
    return sink;
  }

  /**
   * Before a batch or an ack leaves for the peer: hands what {@code log} buffered to the operating
   * system, when it is a node's replay log file (a write, no fsync: this survives SIGKILL, not a
   * host crash).
   */
  public static void flushBeforeExchange(EventSink log) {
    if (log instanceof ReplayLogSink sink && sink.flushOnExchange) {
      try {
        sink.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("replay log " + sink.file, e);
      }
    }
  }

  Path file() {
    return file;
  }

  /** Where the snapshot this segment starts from is kept. */
  public Path snapshotFile() {
    return ReplaySegments.snapshotOf(file);
  }

  @Override
  public synchronized void append(Event e) {
    if (!closed) {
      writer.append(e);
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    if (!closed) {
      writer.flush();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      writer.close();
    }
  }
}
