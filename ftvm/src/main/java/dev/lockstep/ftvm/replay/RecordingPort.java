package dev.lockstep.ftvm.replay;

import java.util.Objects;

/**
 * The port of a recording machine: takes clock and random values from a {@link HostEnvironment},
 * appends every synchronous input and every output to an {@link EventSink} at its icount, and hands
 * outputs to an {@link OutputHandler}.
 */
public final class RecordingPort implements HostPort {
  private final HostEnvironment env;
  private final EventSink sink;
  private final OutputHandler outputs;

  public RecordingPort(HostEnvironment env, EventSink sink, OutputHandler outputs) {
    this.env = Objects.requireNonNull(env, "env");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.outputs = Objects.requireNonNull(outputs, "outputs");
  }

  public HostEnvironment environment() {
    return env;
  }

  @Override
  public long readClock(long icount, EventKind kind) {
    long v;
    if (kind == EventKind.CLOCK_MTIME) {
      v = env.mtimeMicros();
    } else if (kind == EventKind.CLOCK_RTC) {
      v = env.rtcNanos();
    } else {
      throw new IllegalArgumentException(kind + " is not a clock");
    }
    sink.append(Event.ofLong(icount, kind, v));
    return v;
  }

  @Override
  public int readRandom(long icount) {
    int v = env.random();
    sink.append(Event.ofInt(icount, EventKind.RNG, v));
    return v;
  }

  @Override
  public void output(long icount, EventKind kind, byte[] payload) {
    if (!kind.isOutput()) {
      throw new IllegalArgumentException(kind + " is not an output");
    }
    Event e = new Event(icount, kind, payload);
    sink.append(e);
    outputs.onOutput(e);
  }
}
