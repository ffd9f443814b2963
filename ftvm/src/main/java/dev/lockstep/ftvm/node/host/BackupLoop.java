package dev.lockstep.ftvm.node.host;

import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.backup.BackupDriver;
import java.util.concurrent.locks.LockSupport;

/**
 * The host side of a backup: runs its {@link BackupDriver} on the replay thread, which parks while the
 * driver has nothing to do and is unparked by the logging channel's thread when input arrives.
 */
final class BackupLoop {

  private final BackupDriver driver;
  private final HostClock clock;
  private final Thread thread = Thread.currentThread();

  /** Binds the driver to the calling thread, the replay thread. */
  BackupLoop(BackupDriver driver, HostClock clock) {
    this.driver = driver;
    this.clock = clock;
    driver.wakeOn(() -> LockSupport.unpark(thread));
  }

  /** Waits (bounded) for the snapshot; null when the primary was lost first or time ran out. */
  byte[] awaitSnapshot(long timeoutNanos) {
    long deadline = clock.monoNanos() + timeoutNanos;
    while (driver.snapshotBytes() == null && driver.lostReason() == null && clock.monoNanos() < deadline) {
      LockSupport.parkNanos(BackupDriver.WAIT_PARK_NANOS_MAX);
    }
    return driver.snapshotBytes();
  }

  /** Replays until the primary is lost, shuts down, or the replay diverges. */
  BackupDriver.Outcome run() {
    while (true) {
      BackupDriver.Step s = driver.step(Long.MAX_VALUE);
      if (s.outcome() != null) {
        return s.outcome();
      }
      if (s.idle()) {
        LockSupport.parkNanos(BackupDriver.WAIT_PARK_NANOS_MAX);
      }
    }
  }
}
