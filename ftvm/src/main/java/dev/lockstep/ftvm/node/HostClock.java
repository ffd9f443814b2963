package dev.lockstep.ftvm.node;

import java.time.Instant;

/** The node's one window on host time. Only the system adapter reads a real clock. */
public interface HostClock {
  /** Unix time in microseconds (what the guest's MTIME shows). */
  long wallMicros();

  /** Unix time in nanoseconds (the RTC, event-log stamps). */
  long wallNanos();

  /** A monotonic reading for durations and timeouts. */
  long monoNanos();

  /** The real clocks of the host. */
  HostClock SYSTEM =
      new HostClock() {
        @Override
        public long wallMicros() {
          Instant now = Instant.now();
          return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        }

        @Override
        public long wallNanos() {
          Instant now = Instant.now();
          return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public long monoNanos() {
          return System.nanoTime();
        }
      };
}
