package dev.lockstep.ftvm.replay;

import dev.lockstep.ftvm.node.HostClock;

/** A deterministic host clock for recordings in tests: time advances by a fixed step at every read. */
final class SteppingClock implements HostClock {
  private final long stepMicros;
  private long nowMicros;

  SteppingClock(long stepMicros) {
    this.stepMicros = stepMicros;
  }

  @Override
  public long wallMicros() {
    nowMicros += stepMicros;
    return nowMicros;
  }

  @Override
  public long wallNanos() {
    return 1_700_000_000_000_000_000L + wallMicros() * 1000;
  }

  @Override
  public long monoNanos() {
    return nowMicros * 1000;
  }
}
