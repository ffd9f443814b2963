package dev.lockstep.ftvm.replay;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The port of a replaying machine: answers clock and random reads with the logged values and checks
 * that every output equals the logged one at the same icount, then hands it to an
 * {@link OutputHandler} (a backup suppresses it; a replay of a file prints the console). Any mismatch
 * throws {@link ReplayDivergence}. Shares its {@link EventSource} with the {@link Replayer}, which
 * takes the asynchronous and control entries from it.
 *
 * <p>It keeps the highest clock values the guest saw: a backup that goes live starts its own clocks
 * from them, so the guest's time never goes back.
 */
public final class ReplayPort implements HostPort {
  private final EventSource source;
  private final OutputHandler outputs;
  private final EventSink replayed;
  private final ToLongFunction<EventKind> ownClock;
  private long mtimeFloor;
  private long rtcFloor;

  /**
   * @param replayed receives every event this port takes from the source, as the guest consumed it (a
   *     clock read answered from {@code ownClock} carries the value the guest read)
   * @param ownClock null, except for the planted bug {@code backup-own-clock}: clock reads answered
   *     from the replaying host's own clock instead of the log
   */
  public ReplayPort(EventSource source, OutputHandler outputs, EventSink replayed, ToLongFunction<EventKind> ownClock) {
    this.source = Objects.requireNonNull(source, "source");
    this.outputs = Objects.requireNonNull(outputs, "outputs");
    this.replayed = Objects.requireNonNull(replayed, "replayed");
    this.ownClock = ownClock;
  }

  public ReplayPort(EventSource source, OutputHandler outputs) {
    this(source, outputs, e -> {}, null);
  }

  public EventSource source() {
    return source;
  }

  /** The highest MTIME value (µs) the guest read. */
  public long mtimeFloor() {
    return mtimeFloor;
  }

  /** The highest RTC value (ns) the guest read. */
  public long rtcFloor() {
    return rtcFloor;
  }

  private Event expect(long icount, EventKind kind) {
    Event e = take(icount, kind);
    replayed.append(e);
    return e;
  }

  /** The source's next event, which must be {@code kind} at {@code icount}; not yet passed to {@code replayed}. */
  private Event take(long icount, EventKind kind) {
    Event e = source.peek();
    if (e == null) {
      throw new ReplayDivergence(icount, "end of log", kind.toString());
    }
    if (e.kind() != kind || e.icount() != icount) {
      throw new ReplayDivergence(icount, e.kind() + " at icount " + e.icount(), kind + " at icount " + icount);
    }
    source.take();
    return e;
  }

  @Override
  public long readClock(long icount, EventKind kind) {
    Event e = take(icount, kind);
    long v = e.longValue();
    if (ownClock != null) {
      // the replayed log holds what this guest read, so that it replays as this node ran
      v = ownClock.applyAsLong(kind);
      e = Event.ofLong(icount, kind, v);
    }
    replayed.append(e);
    if (kind == EventKind.CLOCK_MTIME) {
      mtimeFloor = Math.max(mtimeFloor, v);
    } else {
      rtcFloor = Math.max(rtcFloor, v);
    }
    return v;
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
