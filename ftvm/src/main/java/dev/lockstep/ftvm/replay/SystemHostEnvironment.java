package dev.lockstep.ftvm.replay;

import java.security.SecureRandom;

/**
 * The real host: mtime counts microseconds from the creation of this environment (plus a start
 * offset, so a machine that moves to another host keeps a monotonic mtime), the RTC is the system
 * clock, randomness comes from {@link SecureRandom}. The only place the machine's inputs touch host
 * clocks and entropy.
 */
public final class SystemHostEnvironment implements HostEnvironment {
  private final long startNanos = System.nanoTime();
  private final long mtimeStartMicros;
  private final SecureRandom random = new SecureRandom();

  public SystemHostEnvironment() {
    this(0);
  }

  /** mtime starts at {@code mtimeStartMicros}. */
  public SystemHostEnvironment(long mtimeStartMicros) {
    this.mtimeStartMicros = mtimeStartMicros;
  }

  @Override
  public long mtimeMicros() {
    return mtimeStartMicros + (System.nanoTime() - startNanos) / 1000;
  }

  @Override
  public long rtcNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public int random() {
    return random.nextInt();
  }
}
