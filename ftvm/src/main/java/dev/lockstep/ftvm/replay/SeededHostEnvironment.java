package dev.lockstep.ftvm.replay;

import java.util.SplittableRandom;

/**
 * A deterministic host for tests and simulations: time advances by a fixed step at every clock
 * read, randomness comes from a seeded {@link SplittableRandom}.
 */
public final class SeededHostEnvironment implements HostEnvironment {
  private final SplittableRandom random;
  private final long stepMicros;
  private long nowMicros;

  public SeededHostEnvironment(long seed, long stepMicros) {
    this.random = new SplittableRandom(seed);
    this.stepMicros = stepMicros;
  }

  @Override
  public long mtimeMicros() {
    nowMicros += stepMicros;
    return nowMicros;
  }

  @Override
  public long rtcNanos() {
    return 1_700_000_000_000_000_000L + mtimeMicros() * 1000;
  }

  @Override
  public int random() {
    return random.nextInt();
  }
}
