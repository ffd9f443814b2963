package dev.lockstep.ftvm.replay;

/**
 * Where a recording takes host values from. {@link SystemHostEnvironment} reads the real clock and a
 * secure random source; tests inject a deterministic one.
 */
public interface HostEnvironment {
  /** Host time for mtime, in microseconds (monotonic for a given machine). */
  long mtimeMicros();

  /** Unix time in nanoseconds for the RTC. */
  long rtcNanos();

  /** 32 random bits. */
  int random();
}
