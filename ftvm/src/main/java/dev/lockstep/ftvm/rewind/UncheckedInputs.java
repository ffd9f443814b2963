package dev.lockstep.ftvm.rewind;

import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.RunStatus;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.HostPort;
import java.util.Arrays;
import java.util.List;

/**
 * The inputs of a machine a debugger has written to, which no longer follows its log: every clock or
 * random read takes the next logged value of its kind (whatever its icount), past the log's end the
 * last clock value again and zero for random bits; asynchronous events are delivered at their logged
 * icount when the devices can take them; outputs and control entries are not checked. So an edited
 * guest runs on with inputs much like the recorded ones, and nothing it does is a divergence.
 */
final class UncheckedInputs implements HostPort {
  private final List<Event> events;
  private final int[] next = new int[EventKind.values().length];
  private final long[] last = new long[EventKind.values().length];
  private int nextAsync;

  UncheckedInputs(List<Event> events, int from) {
    this.events = events;
    Arrays.fill(next, from);
    this.nextAsync = from;
  }

  /** The same position in the log, for a snapshot of an edited machine. */
  UncheckedInputs copy() {
    UncheckedInputs c = new UncheckedInputs(events, nextAsync);
    System.arraycopy(next, 0, c.next, 0, next.length);
    System.arraycopy(last, 0, c.last, 0, last.length);
    return c;
  }

  /**
   * Runs {@code m} (whose port is this) until icount reaches {@code limit}; false when it halted first.
   *
   * @throws dev.lockstep.ftvm.machine.GuestFault when the edited guest cannot continue
   */
  boolean run(Machine m, long limit) {
    while (m.icount() < limit) {
      if (m.halted()) {
        return false;
      }
      Event e = nextAsync(m.icount());
      if (e != null && e.icount() == m.icount()) {
        nextAsync++;
        try {
          m.deliver(e);
        } catch (IllegalArgumentException notNow) {
          // the edited devices cannot take it (a disk completion with no request in flight): dropped
        }
        continue;
      }
      if (m.run(e == null ? limit : Math.min(limit, e.icount())) == RunStatus.HALTED) {
        return false;
      }
    }
    return !m.halted();
  }

  private Event nextAsync(long icount) {
    while (nextAsync < events.size()) {
      Event e = events.get(nextAsync);
      if (e.kind().isAsync() && e.icount() >= icount) {
        return e;
      }
      nextAsync++;
    }
    return null;
  }

  private Event take(EventKind kind) {
    int k = kind.ordinal();
    while (next[k] < events.size()) {
      Event e = events.get(next[k]++);
      if (e.kind() == kind) {
        return e;
      }
    }
    return null;
  }

  @Override
  public long readClock(long icount, EventKind kind) {
    Event e = take(kind);
    if (e != null) {
      last[kind.ordinal()] = e.longValue();
    }
    return last[kind.ordinal()];
  }

  @Override
  public int readRandom(long icount) {
    Event e = take(EventKind.RNG);
    return e == null ? 0 : e.intValue();
  }

  @Override
  public void output(long icount, EventKind kind, byte[] payload) {
    // not checked: the edited guest's outputs are its own
  }
}
