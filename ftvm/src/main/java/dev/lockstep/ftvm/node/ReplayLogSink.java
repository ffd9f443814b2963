package dev.lockstep.ftvm.node;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventSink;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node's replay log: every event it recorded or replayed, in order. Buffered: a killed node
 * loses its last few events (the event log, not this one, is what the checkers rely on).
 */
final class ReplayLogSink implements EventSink, AutoCloseable {

  private final DataOutputStream out;

  private ReplayLogSink(DataOutputStream out) {
    this.out = out;
  }

  static ReplayLogSink open(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return new ReplayLogSink(new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)));
  }

  @Override
  public synchronized void append(Event e) {
    try {
      out.writeLong(e.icount());
      out.writeByte(e.kind().code());
      out.writeInt(e.payload().length);
      out.write(e.payload());
    } catch (IOException ex) {
      throw new UncheckedIOException("replay log", ex);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
