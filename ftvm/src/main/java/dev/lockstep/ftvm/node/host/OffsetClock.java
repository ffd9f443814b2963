package dev.lockstep.ftvm.node.host;

import dev.lockstep.ftvm.node.HostClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A host clock whose wall readings are shifted by an offset that a clock fault writes to a file
 * ({@code offsetNanos=<n>}, one line, replaced atomically; a missing file means no offset). Only the
 * guest-visible readings move: the monotonic clock, which drives timeouts, stays true.
 *
 * <p>The file is read at most once per {@link #POLL_NANOS_MIN}; an unreadable or malformed file keeps
 * the last good offset, so a half-written fault can never crash a node.
 */
public final class OffsetClock implements HostClock {
  static final long POLL_NANOS_MIN = 20_000_000L;

  private final HostClock host;
  private final Path file;
  private long offsetNanos;
  private long nextPollNanos = Long.MIN_VALUE;

  public OffsetClock(HostClock host, Path file) {
    this.host = host;
    this.file = file;
  }

  @Override
  public long wallMicros() {
    return host.wallMicros() + offsetNanos() / 1000;
  }

  @Override
  public long wallNanos() {
    return host.wallNanos() + offsetNanos();
  }

  @Override
  public long monoNanos() {
    return host.monoNanos();
  }

  synchronized long offsetNanos() {
    long now = host.monoNanos();
    if (nextPollNanos == Long.MIN_VALUE || now - nextPollNanos >= 0) {
      nextPollNanos = now + POLL_NANOS_MIN;
      offsetNanos = read(offsetNanos);
    }
    return offsetNanos;
  }

  private long read(long last) {
    if (!file.toFile().exists()) {
      return 0; // no fault set: the usual case, told without the cost of an exception
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return 0; // removed since the check
    } catch (IOException e) {
      return last;
    }
    if (!text.startsWith("offsetNanos=")) {
      return last;
    }
    try {
      return Long.parseLong(text.substring("offsetNanos=".length()).trim());
    } catch (NumberFormatException e) {
      return last;
    }
  }
}
