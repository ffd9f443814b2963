package dev.lockstep.ftvm.node.host;

import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.primary.PrimaryDriver;
import io.netty.channel.ManualIoEventLoop;

/**
 * The host side of a primary: runs its {@link PrimaryDriver} on the thread that owns the logging
 * channel's event loop, and does the waiting the driver asks for by running that loop (so acks are
 * taken while it waits). An idle guest's driver first spins briefly before it sleeps.
 */
final class PrimaryLoop {

  /** Longest spin of an idle guest's driver before it sleeps ({@link #spinForInput}). */
  static final long IDLE_SPIN_NANOS = 50_000;

  private final PrimaryDriver driver;
  private final ManualIoEventLoop io;
  private final HostClock clock;

  PrimaryLoop(PrimaryDriver driver, ManualIoEventLoop io, HostClock clock) {
    this.driver = driver;
    this.io = io;
    this.clock = clock;
  }

  /** What the driver does when its gate is full mid-instruction: runs the loop for the acks. */
  static PrimaryDriver.GateStall gateStall(ManualIoEventLoop io) {
    return icount -> {
      io.run(PrimaryDriver.STALL_PARK_NANOS);
      return true;
    };
  }

  /** Runs the driver to its end, on the thread that owns {@code io}. */
  PrimaryDriver.Outcome run() {
    if (!io.inEventLoop()) {
      throw new IllegalStateException("the driver runs on the thread that owns its event loop");
    }
    while (true) {
      io.runNow(); // the acks and channel events that arrived during the slice
      PrimaryDriver.Turn t = driver.turn();
      if (t.outcome() != null) {
        return t.outcome();
      }
      if (t.waitNanos() > 0) {
        await(t);
      }
    }
  }

  private void await(PrimaryDriver.Turn t) {
    long w = t.waitNanos();
    driver.waiting(true);
    try {
      if (!t.idle()) {
        io.run(w);
        return;
      }
      if (spinForInput(Math.min(w, IDLE_SPIN_NANOS)) || w <= IDLE_SPIN_NANOS) {
        return;
      }
      io.run(w - IDLE_SPIN_NANOS);
    } finally {
      driver.waiting(false);
    }
  }

  /**
   * Before an idle guest's driver sleeps: takes channel events and yields the CPU, for up to
   * {@code nanos}, until an input is waiting (true). Under load the next request is usually microseconds
   * away, often in the client port's thread on this same CPU; a driver that slept would cost that
   * thread a wake-up call and both a switch through the scheduler for each gap.
   */
  private boolean spinForInput(long nanos) {
    long end = clock.monoNanos() + nanos;
    do {
      io.runNow();
      if (driver.inputWaiting()) {
        return true;
      }
      Thread.yield();
    } while (clock.monoNanos() < end);
    return driver.inputWaiting();
  }
}
