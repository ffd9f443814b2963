package dev.lockstep.nemesis.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClockOffsetTest {
  @TempDir Path dir;

  @Test
  void readerSeesWhatControlWrites() {
    OffsetControl control = new OffsetControl(dir.resolve("n1/clock-offset"));
    OffsetReader reader = new OffsetReader(control.file(), () -> 0, 0);
    assertEquals(0, reader.offsetNanos());
    control.set(5_000_000_000L);
    assertEquals(5_000_000_000L, reader.offsetNanos());
    control.jump(-7_000_000_000L);
    assertEquals(-2_000_000_000L, reader.offsetNanos());
    assertEquals(-2_000_000_000L + 100, reader.adjust(100));
    control.reset();
    assertEquals(0, reader.offsetNanos());
  }

  @Test
  void readerPollsAtMostOncePerInterval() {
    OffsetControl control = new OffsetControl(dir.resolve("clock-offset"));
    AtomicLong now = new AtomicLong();
    OffsetReader reader = new OffsetReader(control.file(), now::get, 1_000);
    assertEquals(0, reader.offsetNanos());
    control.set(42);
    now.set(999);
    assertEquals(0, reader.offsetNanos(), "cached until the interval passes");
    now.set(1_000);
    assertEquals(42, reader.offsetNanos());
  }

  @Test
  void missingFileMeansNoOffset() {
    assertEquals(0, new OffsetReader(dir.resolve("absent")).offsetNanos());
  }

  @Test
  void malformedFileIsNamedInTheError() throws IOException {
    Path f = dir.resolve("clock-offset");
    Files.writeString(f, "garbage");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new OffsetReader(f).offsetNanos());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void concurrentReadersNeverSeeATornValue() throws InterruptedException {
    OffsetControl control = new OffsetControl(dir.resolve("clock-offset"));
    OffsetReader reader = new OffsetReader(control.file(), () -> 0, 0);
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread r =
        new Thread(
            () -> {
              try {
                while (!done.get()) {
                  long v = reader.offsetNanos();
                  if (v != 0 && v % 1_000_003L != 0) {
                    throw new AssertionError("torn offset " + v);
                  }
                }
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    r.start();
    for (long i = 1; i <= 500; i++) {
      control.set(i * 1_000_003L * (i % 2 == 0 ? 1 : -1_000_000L));
    }
    done.set(true);
    r.join(10_000);
    assertEquals(null, failure.get());
  }
}
