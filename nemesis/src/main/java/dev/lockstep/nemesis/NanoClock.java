package dev.lockstep.nemesis;

/** Monotonic time in nanoseconds; the only way nemesis code reads time, so tests may inject it. */
@FunctionalInterface
public interface NanoClock {
  /** The system's monotonic clock: the one adapter that reads {@code System.nanoTime}. */
  NanoClock SYSTEM = System::nanoTime;

  long nanoTime();
}
