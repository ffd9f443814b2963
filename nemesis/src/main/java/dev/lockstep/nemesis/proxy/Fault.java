package dev.lockstep.nemesis.proxy;

import java.time.Duration;

/**
 * The state of one direction of a link. Bytes are never reordered and, except under {@link Drop},
 * never lost: a TCP stream through the proxy stays a valid stream.
 */
public sealed interface Fault
    permits Fault.Pass, Fault.Cut, Fault.Drop, Fault.Delay, Fault.Throttle, Fault.Reset, Fault.Flaky {

  /** Bytes flow unchanged; bytes still queued by an earlier cut, delay or throttle flow at once, in order. */
  record Pass() implements Fault {}

  /**
   * A partition: the proxy stops reading the sender and holds what it already read, so nothing
   * arrives, the sender's socket buffers fill and it blocks; connections stay open. On heal the
   * held bytes flow in order, as TCP retransmission delivers them after a real partition heals.
   */
  record Cut() implements Fault {}

  /**
   * A black hole: bytes are read and discarded, connections stay open. Leaves a gap in the stream,
   * so a framed protocol sees corruption; use it to test framing and checksums, {@link Cut} for
   * partitions.
   */
  record Drop() implements Fault {}

  /** Each chunk is held for {@code delay} plus a seeded uniform jitter in [-jitter, +jitter]. */
  record Delay(Duration delay, Duration jitter) implements Fault {
    public Delay {
      if (delay.isNegative() || jitter.isNegative()) {
        throw new IllegalArgumentException("delay and jitter must be >= 0: " + delay + ", " + jitter);
      }
    }
  }

  /** Bytes flow at most at {@code bytesPerSecond}. */
  record Throttle(long bytesPerSecond) implements Fault {
    public Throttle {
      if (bytesPerSecond <= 0) {
        throw new IllegalArgumentException("bytesPerSecond must be > 0: " + bytesPerSecond);
      }
    }
  }

  /**
   * Setting it closes every current connection with a TCP RST (SO_LINGER 0); while it is set, new
   * connections are reset on accept, like a host that rejects the port.
   */
  record Reset() implements Fault {}

  /** Each open connection is reset with probability {@code probabilityPerSecond} per second (seeded). */
  record Flaky(double probabilityPerSecond) implements Fault {
    public Flaky {
      if (!(probabilityPerSecond >= 0 && probabilityPerSecond <= 1)) {
        throw new IllegalArgumentException("probabilityPerSecond must be in [0, 1]: " + probabilityPerSecond);
      }
    }
  }

  static Fault pass() {
    return new Pass();
  }

  static Fault cut() {
    return new Cut();
  }

  static Fault drop() {
    return new Drop();
  }

  static Fault delay(Duration delay, Duration jitter) {
    return new Delay(delay, jitter);
  }

  static Fault throttle(long bytesPerSecond) {
    return new Throttle(bytesPerSecond);
  }

  static Fault reset() {
    return new Reset();
  }

  static Fault flaky(double probabilityPerSecond) {
    return new Flaky(probabilityPerSecond);
  }
}
