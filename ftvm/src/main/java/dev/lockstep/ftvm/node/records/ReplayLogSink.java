package dev.lockstep.ftvm.node.records;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventSink;
import dev.lockstep.ftvm.replay.ReplayLogHeader;
import dev.lockstep.ftvm.replay.ReplayLogWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node's replay log for this run (a segment named by {@link ReplaySegments}, the machine's
 * format): every event it recorded or replayed, in order. A backup's log starts at its snapshot's
 * icount; the snapshot is kept next to it ({@link #snapshotFile}). Buffered: a node killed with
 * SIGKILL loses its last few events; every other ending closes it. Events after {@link #close} (a
 * node that is ending) are dropped.
 */
public final class ReplayLogSink implements EventSink, Flushable, Closeable {

  private final ReplayLogWriter writer;
  private final Path file;
  private boolean closed;

  private ReplayLogSink(ReplayLogWriter writer, Path file) {
    this.writer = writer;
    this.file = file;
  }

  public static ReplayLogSink open(Path file, int ramBytes, long diskSectors, byte[] image) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return new ReplayLogSink(ReplayLogWriter.create(file, ReplayLogHeader.of(ramBytes, diskSectors, image)), file);
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
