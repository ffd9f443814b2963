package dev.lockstep.nemesis.schedule;

import dev.lockstep.nemesis.NanoClock;
import dev.lockstep.nemesis.Nemesis;
import dev.lockstep.nemesis.NemesisOp;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Plays a schedule against a nemesis in real time, telling a listener about every op so the caller
 * can record it as a {@code process: nemesis} info op. A failed op is reported and the schedule goes
 * on. The runner never calls {@link Nemesis#teardown()}: the caller heals at the end of the run.
 */
public final class ScheduleRunner {
  /** What the recorder hears: the op before it is applied, then its completion or failure. */
  public interface Listener {
    void invoked(NemesisOp op);

    void completed(NemesisOp op);

    void failed(NemesisOp op, RuntimeException error);
  }

  /** Waits; the one adapter to real sleeping, replaceable in tests. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper THREAD = nanos -> TimeUnit.NANOSECONDS.sleep(nanos);

    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final Nemesis nemesis;
  private final Listener listener;
  private final NanoClock clock;
  private final Sleeper sleeper;

  public ScheduleRunner(Nemesis nemesis, Listener listener, NanoClock clock, Sleeper sleeper) {
    this.nemesis = Objects.requireNonNull(nemesis, "nemesis");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * Runs each step at {@code startNanos + step.atNanos()} on the runner's clock.
   *
   * @return the number of steps run
   * @throws InterruptedException if interrupted between steps (the run is being stopped)
   */
  public int run(Schedule schedule, long startNanos) throws InterruptedException {
    int ran = 0;
    for (Schedule.Step step : schedule.steps()) {
      long wait = startNanos + step.atNanos() - clock.nanoTime();
      if (wait > 0) {
        sleeper.sleepNanos(wait);
      }
      if (Thread.interrupted()) {
        throw new InterruptedException("nemesis schedule stopped before " + step.op().f());
      }
      apply(step.op());
      ran++;
    }
    return ran;
  }

  private void apply(NemesisOp op) {
    listener.invoked(op);
    try {
      listener.completed(nemesis.invoke(op));
    } catch (RuntimeException e) {
      listener.failed(op, e);
    }
  }
}
