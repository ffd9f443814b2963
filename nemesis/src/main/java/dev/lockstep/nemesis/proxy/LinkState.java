package dev.lockstep.nemesis.proxy;

import dev.lockstep.nemesis.NanoClock;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** What the relays of one link share: the current fault per direction, the clock and the queue bound. */
final class LinkState {
  private final AtomicReferenceArray<Fault> faults = new AtomicReferenceArray<>(Direction.values().length);
  private final NanoClock clock;
  private final int queueBytesMax;

  LinkState(NanoClock clock, int queueBytesMax) {
    this.clock = clock;
    this.queueBytesMax = queueBytesMax;
    for (Direction d : Direction.values()) {
      faults.set(d.ordinal(), Fault.pass());
    }
  }

  Fault fault(Direction direction) {
    return faults.get(direction.ordinal());
  }

  /** Sets a fault and returns the one it replaced. */
  Fault set(Direction direction, Fault fault) {
    return faults.getAndSet(direction.ordinal(), fault);
  }

  NanoClock clock() {
    return clock;
  }

  int queueBytesMax() {
    return queueBytesMax;
  }
}
