package dev.lockstep.ftvm.replay;

import java.util.Arrays;
import java.util.Objects;

/**
 * The port of a replaying machine: answers clock and random reads with the logged values and checks
 * that every output equals the logged one at the same icount. Any mismatch throws
 * {@link ReplayDivergence}. Shares its {@link EventSource} with the {@link Replayer}, which takes the
 * asynchronous and control entries from it.
 */
public final class ReplayPort implements HostPort {
  private final EventSource source;
  private final OutputHandler outputs;

  public ReplayPort(EventSource source, OutputHandler outputs) {
    this.source = Objects.requireNonNull(source, "source");
    this.outputs = Objects.requireNonNull(outputs, "outputs");
  }

  public EventSource source() {
    return source;
  }

  private Event expect(long icount, EventKind kind) {
    Event e = source.peek();
    if (e == null) {
      throw new ReplayDivergence(icount, "end of log", kind.toString());
    }
    if (e.kind() != kind || e.icount() != icount) {
      throw new ReplayDivergence(icount, e.kind() + " at icount " + e.icount(), kind + " at icount " + icount);
    }
    return source.take();
  }

  @Override
  public long readClock(long icount, EventKind kind) {
    return expect(icount, kind).longValue();
  }

  @Override
  public int readRandom(long icount) {
    return expect(icount, EventKind.RNG).intValue();
  }

  @Override
  public void output(long icount, EventKind kind, byte[] payload) {
    Event e = expect(icount, kind);
    if (!Arrays.equals(e.payload(), payload)) {
      throw new ReplayDivergence(icount, e.toString(), new Event(icount, kind, payload).toString());
    }
    outputs.onOutput(e);
  }
}
