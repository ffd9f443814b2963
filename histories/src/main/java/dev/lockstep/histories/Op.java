package dev.lockstep.histories;

import java.util.Map;

/**
 * One operation of a history, in Jepsen's shape.
 *
 * <p>{@code process} is a {@link Long} for a client process or the string {@code "nemesis"} (a
 * {@link Keyword} {@code :nemesis} when read from EDN, so EDN writes it back as it was). Values are
 * null, {@link Boolean}, {@link Long}, {@link String}, {@link Keyword} or {@link java.util.List} of
 * values; EDN may also bring {@link java.math.BigInteger}, {@link Double}, {@link
 * java.math.BigDecimal}, {@link Character}, {@link Symbol}, {@link Tagged}, {@link EdnList} (a list
 * as opposed to a vector), {@link java.util.Set} and {@link Map}. Readers never return {@link
 * Integer}: every integer is a {@link Long}. {@code index} and {@code time} are {@link #ABSENT} when the source had none. Fields of the
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

  /** An op with no index, time, error, key or extra fields. */
  public static Op of(Type type, Object process, String f, Object value) {
    return new Op(ABSENT, type, f, value, process, ABSENT, null, null, Map.of());
  }

  public static Op invoke(Object process, String f, Object value) {
    return of(Type.INVOKE, process, f, value);
  }

  public static Op ok(Object process, String f, Object value) {
    return of(Type.OK, process, f, value);
  }

  public static Op fail(Object process, String f, Object value) {
    return of(Type.FAIL, process, f, value);
  }

  public static Op info(Object process, String f, Object value) {
    return of(Type.INFO, process, f, value);
  }

  public boolean hasTime() {
    return time != ABSENT;
  }

  /** True for an op of a client process, false for the nemesis. */
  public boolean isClient() {
    return !isNemesis();
  }

  public Op withTime(long newTime) {
    return new Op(index, type, f, value, process, newTime, error, key, extra);
  }

  public Op withType(Type newType) {
    return new Op(index, newType, f, value, process, time, error, key, extra);
  }

  public Op withProcess(Object newProcess) {
    return new Op(index, type, f, value, newProcess, time, error, key, extra);
  }

  public Op withError(Object newError) {
    return new Op(index, type, f, value, process, time, newError, key, extra);
  }

  public Op withKey(Object newKey) {
    return new Op(index, type, f, value, process, time, error, newKey, extra);
  }

  /** This op with {@code extra} replaced; the map is kept in its iteration order. */
  public Op withExtra(Map<String, Object> newExtra) {
    return new Op(index, type, f, value, process, time, error, key, newExtra);
  }

  /**
   * The type named by {@code label} ("invoke", "ok", "fail", "info"), or null when it names none.
   */
  public static Type typeOf(String label) {
    return switch (label) {
      case "invoke" -> Type.INVOKE;
      case "ok" -> Type.OK;
      case "fail" -> Type.FAIL;
      case "info" -> Type.INFO;
      default -> null;
    };
  }
}
