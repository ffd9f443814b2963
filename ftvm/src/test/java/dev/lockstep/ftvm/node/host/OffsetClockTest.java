package dev.lockstep.ftvm.node.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockstep.ftvm.node.HostClock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetClockTest {

  /** A host clock that stands still unless the test moves it. */
  static final class FixedClock implements HostClock {
    long wallNanos = 1_000_000_000_000L;
    long monoNanos;

    @Override
    public long wallMicros() {
      return wallNanos / 1000;
    }

    @Override
    public long wallNanos() {
      return wallNanos;
    }

    @Override
    public long monoNanos() {
      return monoNanos;
    }
  }

  @TempDir Path dir;

  @Test
  void shiftsWallReadingsOnlyAndFollowsTheFile() throws Exception {
    FixedClock host = new FixedClock();
    Path file = dir.resolve("clock-offset");
    OffsetClock clock = new OffsetClock(host, file);
    assertEquals(host.wallNanos, clock.wallNanos(), "no file: no offset");

    Files.writeString(file, "offsetNanos=5000000000\n");
    host.monoNanos += OffsetClock.POLL_NANOS_MIN;
    assertEquals(host.wallNanos + 5_000_000_000L, clock.wallNanos());
    assertEquals(host.wallMicros() + 5_000_000L, clock.wallMicros());
    assertEquals(host.monoNanos, clock.monoNanos(), "timeouts keep true time");

    Files.writeString(file, "offsetNanos=-7\n");
    assertEquals(host.wallNanos + 5_000_000_000L, clock.wallNanos(), "read at most once per poll interval");
    host.monoNanos += OffsetClock.POLL_NANOS_MIN;
    assertEquals(host.wallNanos - 7, clock.wallNanos());

    Files.writeString(file, "garbage");
    host.monoNanos += OffsetClock.POLL_NANOS_MIN;
    assertEquals(host.wallNanos - 7, clock.wallNanos(), "a malformed file keeps the last good offset");

    Files.delete(file);
    host.monoNanos += OffsetClock.POLL_NANOS_MIN;
    assertEquals(host.wallNanos, clock.wallNanos(), "a removed file means no offset");
  }
}
