package dev.lockstep.ftvm.cli;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.OutputHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Writes the guest's console bytes to a stream, flushing at each newline. */
final class ConsoleOutput implements OutputHandler {
  private final OutputStream out;

  ConsoleOutput(OutputStream out) {
    this.out = out;
  }

  @Override
  public void onOutput(Event e) {
    if (e.kind() != EventKind.CONSOLE_OUT) {
      return;
    }
    try {
      out.write(e.payload());
      if (e.payload()[0] == '\n') {
        out.flush();
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  void flush() {
    try {
      out.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
