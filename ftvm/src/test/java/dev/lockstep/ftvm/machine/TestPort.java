package dev.lockstep.ftvm.machine;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.HostPort;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** A port for unit tests: a clock that advances 10 µs per read, counting random values, collected outputs. */
public final class TestPort implements HostPort {
  public long mtime = 1000;
  public int random = 7;
  public final List<Event> outputs = new ArrayList<>();
  public final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @Override
  public long readClock(long icount, EventKind kind) {
    mtime += 10;
    return kind == EventKind.CLOCK_RTC ? mtime * 1000 : mtime;
  }

  @Override
  public int readRandom(long icount) {
    return random++;
  }

  @Override
  public void output(long icount, EventKind kind, byte[] payload) {
    outputs.add(new Event(icount, kind, payload));
    if (kind == EventKind.CONSOLE_OUT) {
      console.write(payload[0]);
    }
  }
}
