package dev.lockstep.ftvm.replay;

import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.RunStatus;
import java.util.Objects;

/**
 * The one replayer: drives a machine from recorded events. It runs to the icount of each asynchronous
 * event and delivers it, runs through each synchronous input and output (its {@link ReplayPort} takes
 * and checks them), checks every STATE_HASH and the final HALT, and stops at SHUTDOWN. Any difference
 * throws {@link ReplayDivergence} with the first differing icount.
 *
 * <p>A backup replays this way from the entries the logging channel brings (the source then runs dry
 * until more arrive, and progress markers vouch for instructions with no entry); {@code lockstep
 * machine replay} and {@code lockstep replay} replay a log file the same way. The replayer never
 * waits: {@link #step} does at most a budget of work and says what happened.
 */
public final class Replayer {

  /** What a {@link #step} or a {@link #run} came to. */
  public enum Status {
    /** The step made progress; there may be more to do. */
    PROGRESS,
    /** Nothing to apply and the machine stands at the vouched icount (a stream may deliver more later). */
    END_OF_INPUT,
    /** The guest halted (and matched the log's HALT where the log has one). */
    HALTED,
    /** The log's SHUTDOWN was reached. */
    SHUTDOWN,
    /** {@link #run}: icount reached its limit. */
    LIMIT
  }

  /** Where a {@link #run} stopped and what it checked. */
  public record Result(Status status, long icount, int exitCode, long eventsApplied, long hashesVerified) {}

  /** Watches execution between events: the backup takes its own state hashes and sends acks there. */
  public interface Observer {
    /** The icount at which execution must stop next for the observer ({@link Long#MAX_VALUE}: never). */
    long nextStop();

    /** After every stretch of execution. */
    void ran();

    Observer NONE =
        new Observer() {
          @Override
          public long nextStop() {
            return Long.MAX_VALUE;
          }

          @Override
          public void ran() {}
        };
  }

  private final Machine machine;
  private final EventSource source;
  private final EventSink replayed;
  private final Observer observer;
  private long eventsApplied;
  private long hashesVerified;

  /**
   * @param source shared with the machine's {@link ReplayPort}
   * @param replayed receives every event this replayer takes from the source (the port adds the
   *     synchronous ones it takes), in order: a backup's own replay log
   */
  public Replayer(Machine machine, EventSource source, EventSink replayed, Observer observer) {
    this.machine = Objects.requireNonNull(machine, "machine");
    this.source = Objects.requireNonNull(source, "source");
    this.replayed = Objects.requireNonNull(replayed, "replayed");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /** A replayer of a whole log, nothing observed. */
  public Replayer(Machine machine, EventSource source) {
    this(machine, source, e -> {}, Observer.NONE);
  }

  /**
   * Replays until the log's end, HALT or SHUTDOWN, or until icount reaches {@code limit} (with the
   * asynchronous and control events logged at the limit applied, and the instruction at the limit,
   * and so its inputs and outputs, not yet executed).
   */
  public Result run(long limit) {
    while (true) {
      long ic = machine.icount();
      Event head = source.peek();
      // TRICKY: an input or output logged at the limit belongs to the instruction at the limit, which
      // must not run: a seek to icount N stops before instruction N
      if (head != null && head.icount() == limit && ic <= limit && (head.kind().isSync() || head.kind().isOutput())) {
        runTo(limit); // no event lies before the head
        return result(Status.LIMIT);
      }
      Status s = step(limit - ic, ic);
      if (s != Status.PROGRESS) {
        return result(s);
      }
      Event next = source.peek();
      if (machine.icount() >= limit && (next == null || next.icount() > limit)) {
        return result(Status.LIMIT);
      }
    }
  }

  /**
   * One step, at most about {@code budget} instructions: applies the event at the head of the source
   * once the machine reaches its icount, or with no event runs on to {@code vouched}, the highest icount
   * the recording vouched for. Never waits.
   */
  public Status step(long budget, long vouched) {
    Event e = source.peek();
    if (e == null) {
      long ic = machine.icount();
      if (machine.halted()) {
        return Status.HALTED;
      }
      if (vouched <= ic) {
        return Status.END_OF_INPUT;
      }
      // TRICKY: not ic + budget: a budget of Long.MAX_VALUE would overflow
      runTo(vouched - ic > budget ? ic + budget : vouched);
      return machine.halted() ? Status.HALTED : Status.PROGRESS;
    }
    long target = e.icount() - machine.icount() > budget ? machine.icount() + budget : e.icount();
    runTo(target);
    if (machine.icount() < e.icount()) {
      return Status.PROGRESS; // the budget ran out on the way
    }
    if (machine.icount() > e.icount()) {
      // the machine already ran past the icount where the recording took this input: it no longer follows it
      throw new ReplayDivergence(e.icount(), e.toString(), "the machine already at icount " + machine.icount());
    }
    switch (e.kind().category()) {
      case ASYNC -> {
        take(e);
        try {
          machine.deliver(e);
        } catch (IllegalArgumentException misfit) {
          // the event does not fit this machine's devices (a disk completion with no request in flight)
          throw new ReplayDivergence(e.icount(), e.toString(), misfit.getMessage());
        }
      }
      case SYNC, OUTPUT -> runThrough(e);
      default -> {
        return control(e);
      }
    }
    eventsApplied++;
    return machine.halted() ? Status.HALTED : Status.PROGRESS;
  }

  private void take(Event e) {
    source.take();
    replayed.append(e);
  }

  /** Takes a control event and acts on it. */
  private Status control(Event e) {
    if (e.kind() != EventKind.STATE_HASH) {
      take(e);
    }
    switch (e.kind()) {
      case STATE_HASH -> {
        long hash = machine.stateHash();
        source.take();
        // the replayed log holds this machine's own hash, so it replays as this machine ran
        replayed.append(hash == e.longValue() ? e : Event.ofLong(e.icount(), EventKind.STATE_HASH, hash));
        if (hash != e.longValue()) {
          throw new ReplayDivergence(e.icount(), "state hash " + Long.toHexString(e.longValue()),
              "state hash " + Long.toHexString(hash));
        }
        hashesVerified++;
        return Status.PROGRESS;
      }
      case HALT -> {
        if (!machine.halted() || machine.exitCode() != e.intValue()) {
          throw new ReplayDivergence(e.icount(), "halt with exit code " + e.intValue(),
              machine.halted() ? "halt with exit code " + machine.exitCode() : "no halt");
        }
        return Status.HALTED;
      }
      case SHUTDOWN -> {
        return Status.SHUTDOWN;
      }
      default -> {
        return Status.PROGRESS; // PROGRESS: the machine has reached it
      }
    }
  }

  /** Runs until icount equals {@code target}; the machine must not halt before. */
  private void runTo(long target) {
    while (machine.icount() < target) {
      RunStatus s = machine.run(Math.min(target, observer.nextStop()));
      observer.ran();
      if (s == RunStatus.HALTED) {
        if (machine.icount() < target) {
          throw new ReplayDivergence(machine.icount(), "execution up to icount " + target,
              "halt with exit code " + machine.exitCode());
        }
        return;
      }
      // IDLE: the recording ran on past the wfi as well (nothing was delivered there), so do we
    }
  }

  /** Executes the instruction at the event's icount, which must consume it through the port. */
  private void runThrough(Event e) {
    while (source.peek() == e && machine.icount() == e.icount() && !machine.halted()) {
      machine.run(e.icount() + 1);
    }
    observer.ran();
    if (source.peek() == e) {
      throw new ReplayDivergence(e.icount(), e.toString(), "no " + e.kind() + " by the instruction at this icount");
    }
  }

  public long eventsApplied() {
    return eventsApplied;
  }

  public long hashesVerified() {
    return hashesVerified;
  }

  private Result result(Status s) {
    return new Result(s, machine.icount(), machine.exitCode(), eventsApplied, hashesVerified);
  }
}
