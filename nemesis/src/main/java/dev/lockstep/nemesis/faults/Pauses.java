package dev.lockstep.nemesis.faults;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The waits inside a compound fault and the timer threads of cyclic ones. */
final class Pauses {
  /** Bound on waiting for a fault's timer thread to finish at teardown. */
  static final long EXECUTOR_STOP_MS = 5_000;

  private Pauses() {}

  /**
   * Waits {@code ms} between two steps of one fault (a kill right after a resume, an action in the
   * middle of a join).
   *
   * @return false if interrupted (the run is stopping: the caller applies no further step; the
   *     interrupt stays set for the schedule runner to see)
   */
  static boolean between(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static ScheduledExecutorService timer(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  static void stop(ScheduledExecutorService executor) {
    if (executor == null) {
      return;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(EXECUTOR_STOP_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
