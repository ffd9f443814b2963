package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.process.ManagedProcess;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pauses a process for {@code pauseMs}, lets it run for {@code runMs}, and repeats until stopped.
 * After {@link #stop()} returns the process is running (or, with {@link #stop(boolean)}, paused) and
 * will not be paused or resumed again by this cycle.
 */
final class DutyCycle {
  private final ManagedProcess process;
  private final long pauseMs;
  private final long runMs;
  private final ScheduledExecutorService executor;
  private ScheduledFuture<?> next;
  private boolean stopped;

  DutyCycle(ManagedProcess process, long pauseMs, long runMs, ScheduledExecutorService executor) {
    if (pauseMs <= 0 || runMs <= 0) {
      throw new IllegalArgumentException("duty cycle phases must be > 0 ms: pause " + pauseMs + ", run " + runMs);
    }
    this.process = process;
    this.pauseMs = pauseMs;
    this.runMs = runMs;
    this.executor = executor;
  }

  synchronized void start() {
    next = executor.schedule(this::pausePhase, 0, TimeUnit.MILLISECONDS);
  }

  private synchronized void pausePhase() {
    if (stopped) {
      return;
    }
    process.pause();
    next = executor.schedule(this::runPhase, pauseMs, TimeUnit.MILLISECONDS);
  }

  private synchronized void runPhase() {
    if (stopped) {
      return;
    }
    process.resume();
    next = executor.schedule(this::pausePhase, runMs, TimeUnit.MILLISECONDS);
  }

  synchronized void stop() {
    stop(false);
  }

  /** Stops the cycle; the process is left paused when {@code paused}, else running. */
  synchronized void stop(boolean paused) {
    stopped = true;
    if (next != null) {
      next.cancel(false);
    }
    if (paused) {
      process.pause();
    } else {
      process.resume();
    }
  }
}
