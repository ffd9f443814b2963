package dev.lockstep.histories;

import java.util.Map;

/**
 * One operation of a history, in Jepsen's shape.
 *
 * <p>{@code process} is a {@link Long} for a client process or the string {@code "nemesis"}. Values
 * are null, {@link Boolean}, {@link Long}, {@link String}, {@link Keyword} or {@link java.util.List}
 * of values. {@code index} and {@code time} are {@link #ABSENT} when the source had none. Fields of the
 * source that are not listed here are kept, in order, in {@code extra} so writing round-trips.
 */
public record Op(
    long index,
    Type type,
    String f,
    Object value,
    Object process,
    long time,
    Object error,
    Object key,
    Map<String, Object> extra) {

  public static final long ABSENT = Long.MIN_VALUE;
  public static final String NEMESIS = "nemesis";

  public enum Type {
    INVOKE,
    OK,
    FAIL,
    INFO;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Op {
    java.util.Objects.requireNonNull(type, "type");
    extra = extra == null ? Map.of() : extra;
  }

  public boolean isNemesis() {
    return NEMESIS.equals(process) || (process instanceof Keyword k && NEMESIS.equals(k.name()));
  }

  public boolean hasIndex() {
    return index != ABSENT;
  }

  public Op withIndex(long newIndex) {
    return new Op(newIndex, type, f, value, process, time, error, key, extra);
  }

  public Op withValue(Object newValue) {
    return new Op(index, type, f, newValue, process, time, error, key, extra);
  }
}
