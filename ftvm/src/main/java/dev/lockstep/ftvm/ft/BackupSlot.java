package dev.lockstep.ftvm.ft;

import java.util.concurrent.atomic.AtomicReference;

/** The one backup a primary serves at a time. */
final class BackupSlot {
  private final AtomicReference<LogServerHandler> current = new AtomicReference<>();

  boolean claim(LogServerHandler h) {
    return current.compareAndSet(null, h);
  }

  void release(LogServerHandler h) {
    current.compareAndSet(h, null);
  }

  LogServerHandler current() {
    return current.get();
  }
}
