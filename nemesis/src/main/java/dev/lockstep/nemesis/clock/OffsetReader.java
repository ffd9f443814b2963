package dev.lockstep.nemesis.clock;

import dev.lockstep.nemesis.NanoClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The node side of the clock fault: a host clock adapter asks {@link #offsetNanos()} and adds it
 * to what it reads. Re-reads the file at most once per poll interval, so a clock read stays cheap.
 * A missing file means offset 0 (no clock fault set up); a file not in the format is a broken
 * invariant and throws. Thread-safe.
 */
public final class OffsetReader {
  /** Default time between two reads of the file. */
  public static final long POLL_INTERVAL_NANOS_DEFAULT = 10_000_000L;

  private final Path file;
  private final NanoClock clock;
  private final long pollIntervalNanos;
  private long offsetNanos;
  private long lastReadNanos;
  private boolean read;

  public OffsetReader(Path file) {
    this(file, NanoClock.SYSTEM, POLL_INTERVAL_NANOS_DEFAULT);
  }

  public OffsetReader(Path file, NanoClock clock, long pollIntervalNanos) {
    if (pollIntervalNanos < 0) {
      throw new IllegalArgumentException("pollIntervalNanos must be >= 0: " + pollIntervalNanos);
    }
    this.file = Objects.requireNonNull(file, "file");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pollIntervalNanos = pollIntervalNanos;
  }

  /**
   * The current offset, re-read from the file if the poll interval passed.
   *
   * @throws IllegalStateException if the file exists but does not hold an offset
   */
  public synchronized long offsetNanos() {
    long now = clock.nanoTime();
    if (!read || now - lastReadNanos >= pollIntervalNanos) {
      offsetNanos = readFile();
      lastReadNanos = now;
      read = true;
    }
    return offsetNanos;
  }

  /** {@code hostNanos} shifted by the current offset. */
  public long adjust(long hostNanos) {
    return hostNanos + offsetNanos();
  }

  private long readFile() {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read clock offset file " + file + ": " + e.getMessage(), e);
    }
    OptionalLong parsed = OffsetFile.parse(text);
    if (parsed.isEmpty()) {
      throw new IllegalStateException("clock offset file " + file + " does not hold '" + OffsetFile.KEY + "<n>': " + text.strip());
    }
    return parsed.getAsLong();
  }
}
