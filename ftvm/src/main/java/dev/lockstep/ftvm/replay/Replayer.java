package dev.lockstep.ftvm.replay;

import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.RunStatus;
import java.util.Objects;

/**
 * Drives a replaying machine from an {@link EventSource} it shares with the machine's
 * {@link ReplayPort}: runs to the icount of each logged asynchronous event and delivers it, runs
 * through each synchronous input and output (the port checks them), checks every STATE_HASH and the
 * final HALT. Any difference throws {@link ReplayDivergence} with the first differing icount.
 */
public final class Replayer {
  /** Where a replay stopped. */
  public enum Status {
    /** The log's HALT was reached and matched. */
    HALTED,
    /** The log's SHUTDOWN was reached. */
    SHUTDOWN,
    /** The source has no more events (a stream may deliver more later). */
    END_OF_INPUT,
    /** icount reached the limit given to {@link #run}. */
    LIMIT
  }

  /** The result of {@link #run}: where it stopped and what it checked. */
  public record Result(Status status, long icount, int exitCode, long eventsApplied, long hashesVerified) {}

  private final Machine machine;
  private final EventSource source;
  private long eventsApplied;
  private long hashesVerified;

  public Replayer(Machine machine, EventSource source) {
    this.machine = Objects.requireNonNull(machine, "machine");
    this.source = Objects.requireNonNull(source, "source");
  }

  /** Replays until the log's end, HALT or SHUTDOWN, or until icount reaches {@code limit}. */
  public Result run(long limit) {
    while (true) {
      Event e = source.peek();
      if (e == null) {
        return result(Status.END_OF_INPUT);
      }
      if (e.icount() > limit) {
        runTo(limit);
        return result(Status.LIMIT);
      }
      switch (e.kind().category()) {
        case ASYNC:
          runTo(e.icount());
          source.take();
          machine.deliver(e);
          eventsApplied++;
          break;
        case SYNC:
        case OUTPUT:
          runThrough(e);
          eventsApplied++;
          break;
        default:
          Status end = control(e);
          if (end != null) {
            return result(end);
          }
      }
    }
  }

  private Status control(Event e) {
    runTo(e.icount());
    source.take();
    switch (e.kind()) {
      case STATE_HASH:
        long hash = machine.stateHash();
        if (hash != e.longValue()) {
          throw new ReplayDivergence(e.icount(), "state hash " + Long.toHexString(e.longValue()),
              "state hash " + Long.toHexString(hash));
        }
        hashesVerified++;
        return null;
      case HALT:
        if (!machine.halted() || machine.exitCode() != e.intValue()) {
          throw new ReplayDivergence(e.icount(), "halt with exit code " + e.intValue(),
              machine.halted() ? "halt with exit code " + machine.exitCode() : "no halt");
        }
        return Status.HALTED;
      case SHUTDOWN:
        return Status.SHUTDOWN;
      default:
        return null; // PROGRESS: the machine has reached it
    }
  }

  /** Runs until icount equals {@code target}; the machine must not halt before. */
  private void runTo(long target) {
    while (machine.icount() < target) {
      RunStatus s = machine.run(target);
      if (s == RunStatus.HALTED && machine.icount() < target) {
        throw new ReplayDivergence(machine.icount(), "execution up to icount " + target,
            "halt with exit code " + machine.exitCode());
      }
    }
  }

  /** Executes the instruction at the event's icount, which must consume it through the port. */
  private void runThrough(Event e) {
    runTo(e.icount());
    while (source.peek() == e && machine.icount() == e.icount() && !machine.halted()) {
      machine.run(e.icount() + 1);
    }
    if (source.peek() == e) {
      throw new ReplayDivergence(e.icount(), e.toString(), "no " + e.kind() + " by the instruction at this icount");
    }
  }

  private Result result(Status s) {
    return new Result(s, machine.icount(), machine.exitCode(), eventsApplied, hashesVerified);
  }
}
