package dev.lockstep.ftvm.node;

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
 * The node's replay log ({@code replay.log}, the machine's format): every event it recorded or
 * replayed, in order. A backup's log starts at its snapshot's icount; the snapshot is kept next to
 * it. Buffered: a node killed with SIGKILL loses its last few events; a halt flushes first.
 */
final class ReplayLogSink implements EventSink, Flushable, Closeable {

  private final ReplayLogWriter writer;

  private ReplayLogSink(ReplayLogWriter writer) {
    this.writer = writer;
  }

  static ReplayLogSink open(Path file, int ramBytes, long diskSectors, byte[] image) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return new ReplayLogSink(ReplayLogWriter.create(file, ReplayLogHeader.of(ramBytes, diskSectors, image)));
  }

  @Override
  public synchronized void append(Event e) {
    writer.append(e);
  }

  @Override
  public synchronized void flush() throws IOException {
    writer.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    writer.close();
  }
}
