package dev.lockstep.ftvm.node.primary;

import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.HostPort;
import java.util.function.IntSupplier;

/**
 * The port of a recording primary: clock and random values come from the host, every value and every
 * output becomes a log entry, and outputs go to the driver, which holds them for the output rule.
 * Clock values never go backwards, also across a failover (the floors come from the log).
 */
final class PrimaryPort implements HostPort {

  /** Receives each output after its entry is in the log. */
  interface Outputs {
    void output(long seq, Event e);
  }

  private final LogStream stream;
  private final HostClock clock;
  private final IntSupplier random;
  private final Outputs outputs;
  private long mtimeFloor;
  private long rtcFloor;

  PrimaryPort(LogStream stream, HostClock clock, IntSupplier random, Outputs outputs, long mtimeFloor, long rtcFloor) {
    this.stream = stream;
    this.clock = clock;
    this.random = random;
    this.outputs = outputs;
    this.mtimeFloor = mtimeFloor;
    this.rtcFloor = rtcFloor;
  }

  /** The guest-visible MTIME now, without logging it (the timer's deadline check). */
  long mtimeNow() {
    return Math.max(mtimeFloor, clock.wallMicros());
  }

  long mtimeFloor() {
    return mtimeFloor;
  }

  long rtcFloor() {
    return rtcFloor;
  }

  @Override
  public long readClock(long icount, EventKind kind) {
    long v;
    if (kind == EventKind.CLOCK_MTIME) {
      v = mtimeNow();
      mtimeFloor = v;
    } else if (kind == EventKind.CLOCK_RTC) {
      v = Math.max(rtcFloor, clock.wallNanos());
      rtcFloor = v;
    } else {
      throw new IllegalArgumentException("not a clock: " + kind);
    }
    stream.append(Event.ofLong(icount, kind, v));
    return v;
  }

  @Override
  public int readRandom(long icount) {
    int v = random.getAsInt();
    stream.append(Event.ofInt(icount, EventKind.RNG, v));
    return v;
  }

  @Override
  public void output(long icount, EventKind kind, byte[] payload) {
    Event e = new Event(icount, kind, payload);
    outputs.output(stream.append(e), e);
  }
}
