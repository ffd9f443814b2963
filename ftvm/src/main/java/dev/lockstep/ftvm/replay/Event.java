package dev.lockstep.ftvm.replay;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One entry of a run's history: at {@code icount} (instructions retired so far), something of
 * {@code kind} happened, described by {@code payload} (layout per {@link EventKind}). The payload
 * array is owned by the event: never mutate it after construction.
 */
public record Event(long icount, EventKind kind, byte[] payload) {

  private static final byte[] EMPTY = new byte[0];

  public Event {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(payload, "payload");
    if (icount < 0) {
      throw new IllegalArgumentException("negative icount " + icount);
    }
  }

  /** An event with an empty payload. */
  public static Event of(long icount, EventKind kind) {
    return new Event(icount, kind, EMPTY);
  }

  /** An event whose payload is one little-endian i64 (clocks, STATE_HASH). */
  public static Event ofLong(long icount, EventKind kind, long value) {
    return new Event(icount, kind, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
  }

  /** An event whose payload is one little-endian i32 (RNG, HALT). */
  public static Event ofInt(long icount, EventKind kind, int value) {
    return new Event(icount, kind, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
  }

  /** The payload read as a little-endian i64; throws if it is not 8 bytes. */
  public long longValue() {
    if (payload.length != 8) {
      throw new IllegalStateException(kind + " payload has " + payload.length + " bytes, expected 8");
    }
    return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** The payload read as a little-endian i32; throws if it is not 4 bytes. */
  public int intValue() {
    if (payload.length != 4) {
      throw new IllegalStateException(kind + " payload has " + payload.length + " bytes, expected 4");
    }
    return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  /** Value equality including the payload bytes (the record's own equals compares array identity). */
  public boolean sameAs(Event other) {
    return other != null && icount == other.icount && kind == other.kind && Arrays.equals(payload, other.payload);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event e && sameAs(e);
  }

  @Override
  public int hashCode() {
    return Objects.hash(icount, kind) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    String hex = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 32));
    return "Event[icount=" + icount + ", " + kind + ", " + payload.length + " bytes"
        + (payload.length == 0 ? "" : ": " + hex + (payload.length > 32 ? "…" : "")) + "]";
  }
}
