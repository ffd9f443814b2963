package dev.lockstep.harness.runner;

/**
 * Time as the runner sees it: nanoseconds since the test began, and a way to wait until a moment. The
 * system adapter is the only place the runner reads the host clock, so worker logic can be tested with
 * a clock the test advances.
 */
public interface RunClock {

  long nanos();

  /** Blocks until {@link #nanos()} reaches {@code nanos} (returns at once if it has). */
  void sleepUntil(long nanos) throws InterruptedException;

  /** This clock with its zero moved to {@code originNanos} of this clock (e.g. the start of the workload). */
  default RunClock from(long originNanos) {
    RunClock base = this;
    return new RunClock() {
      @Override
      public long nanos() {
        return base.nanos() - originNanos;
      }

      @Override
      public void sleepUntil(long nanos) throws InterruptedException {
        base.sleepUntil(nanos + originNanos);
      }
    };
  }

  /** The host's monotonic clock, starting at zero now. */
  static RunClock system() {
    long origin = System.nanoTime();
    return new RunClock() {
      @Override
      public long nanos() {
        return System.nanoTime() - origin;
      }

      @Override
      public void sleepUntil(long nanos) throws InterruptedException {
        long remaining = nanos - nanos();
        if (remaining > 0) {
          java.util.concurrent.TimeUnit.NANOSECONDS.sleep(remaining);
        }
      }
    };
  }
}
