package dev.lockstep.checkers.linear;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The bounds shared by every key's search of one check: a deadline, a byte budget for memo tables,
 * and a cancel flag raised once some key is known to be non-linearizable.
 */
final class Budget {
  private final LongSupplier clock;
  private final long deadlineNanos;
  private final long timeLimitMs;
  private final long bytesMax;
  private final AtomicLong bytesLeft;
  private final AtomicBoolean cancelled = new AtomicBoolean();

  Budget(LongSupplier clock, long timeLimitNanos, long bytesMax) {
    this(clock, clock.getAsLong() + timeLimitNanos, timeLimitNanos / 1_000_000, bytesMax, new AtomicLong(bytesMax));
  }

  private Budget(LongSupplier clock, long deadlineNanos, long timeLimitMs, long bytesMax, AtomicLong bytesLeft) {
    this.clock = clock;
    this.deadlineNanos = deadlineNanos;
    this.timeLimitMs = timeLimitMs;
    this.bytesMax = bytesMax;
    this.bytesLeft = bytesLeft;
  }

  /**
   * For explaining a failure already found: the same bytes, a cancel flag of its own, and a
   * deadline at most {@code nanos} away.
   */
  Budget explaining(long nanos) {
    long deadline = Math.min(deadlineNanos, clock.getAsLong() + nanos);
    return new Budget(clock, deadline, timeLimitMs, bytesMax, bytesLeft);
  }

  /** Takes {@code bytes} from the budget or throws when that would exceed it. */
  void reserve(long bytes) {
    if (bytesLeft.addAndGet(-bytes) < 0) {
      bytesLeft.addAndGet(bytes);
      throw new BoundReached("memory bound reached: memo tables would exceed " + (bytesMax >> 20) + " MiB");
    }
  }

  void release(long bytes) {
    bytesLeft.addAndGet(bytes);
  }

  /** Throws once the deadline has passed or the check was cancelled. */
  void poll() {
    if (cancelled.get()) {
      throw new BoundReached("cancelled: another key is already non-linearizable");
    }
    if (clock.getAsLong() - deadlineNanos > 0) {
      throw new BoundReached("time limit reached: " + timeLimitMs + " ms");
    }
  }

  void cancel() {
    cancelled.set(true);
  }

  long bytesUsed() {
    return bytesMax - bytesLeft.get();
  }
}
