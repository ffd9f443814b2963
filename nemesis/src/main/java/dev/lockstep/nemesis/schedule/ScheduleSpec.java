package dev.lockstep.nemesis.schedule;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The inputs a schedule is a pure function of. Quiet gaps and fault durations are drawn uniformly
 * from their [min, max] ranges.
 */
public record ScheduleSpec(
    List<Family> families,
    long seed,
    Duration timeLimit,
    Duration quietMin,
    Duration quietMax,
    Duration faultMin,
    Duration faultMax,
    Map<Family, FamilyEntry> entries) {

  public static final Duration QUIET_MIN_DEFAULT = Duration.ofSeconds(2);
  public static final Duration QUIET_MAX_DEFAULT = Duration.ofSeconds(6);
  public static final Duration FAULT_MIN_DEFAULT = Duration.ofSeconds(3);
  public static final Duration FAULT_MAX_DEFAULT = Duration.ofSeconds(8);

  public ScheduleSpec {
    families = List.copyOf(Objects.requireNonNull(families, "families"));
    entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries == null ? Map.of() : entries));
    requirePositive("timeLimit", timeLimit);
    requireRange("quiet", quietMin, quietMax);
    requireRange("fault", faultMin, faultMax);
    if (faultMin.isZero()) {
      throw new IllegalArgumentException("faultMin must be > 0");
    }
  }

  /** A spec where every family keeps the run's default pace. */
  public ScheduleSpec(List<Family> families, long seed, Duration timeLimit, Duration quietMin, Duration quietMax,
      Duration faultMin, Duration faultMax) {
    this(families, seed, timeLimit, quietMin, quietMax, faultMin, faultMax, Map.of());
  }

  /** A spec of the families and settings the user wrote, e.g. {@code kill:every=10s} (see {@link FamilyEntry}). */
  public static ScheduleSpec of(List<FamilyEntry> entries, long seed, Duration timeLimit, Duration quietMin,
      Duration quietMax, Duration faultMin, Duration faultMax) {
    Map<Family, FamilyEntry> set = new LinkedHashMap<>();
    for (FamilyEntry p : entries) {
      if (p.hasSettings()) {
        set.put(p.family(), p);
      }
    }
    List<Family> families = entries.stream().map(FamilyEntry::family).distinct().toList();
    return new ScheduleSpec(families, seed, timeLimit, quietMin, quietMax, faultMin, faultMax, set);
  }

  /** The fault durations, in nanoseconds, that {@code family} draws from: its own range or the run's. */
  long[] faultRangeNanos(Family family) {
    FamilyEntry p = entries.get(family);
    return p != null && p.forMin() != null
        ? new long[] {p.forMin().toNanos(), p.forMax().toNanos()}
        : new long[] {faultMin.toNanos(), faultMax.toNanos()};
  }

  /** A fault's parameters: {@code drawn}, with the user's pins for {@code family} in place. */
  Map<String, Object> value(Family family, Map<String, Object> drawn) {
    FamilyEntry p = entries.get(family);
    return p == null ? drawn : p.pinned(drawn);
  }

  /** A spec with the default intervals. */
  public static ScheduleSpec of(List<Family> families, long seed, Duration timeLimit) {
    return new ScheduleSpec(families, seed, timeLimit, QUIET_MIN_DEFAULT, QUIET_MAX_DEFAULT, FAULT_MIN_DEFAULT, FAULT_MAX_DEFAULT);
  }

  /** Plain data for the run directory's settings. */
  public Map<String, Object> toPlain() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("families", families.stream().map(Family::label).toList());
    m.put("seed", seed);
    m.put("time-limit-ms", timeLimit.toMillis());
    m.put("quiet-ms", List.of(quietMin.toMillis(), quietMax.toMillis()));
    m.put("fault-ms", List.of(faultMin.toMillis(), faultMax.toMillis()));
    if (!entries.isEmpty()) {
      m.put("settings", entries.values().stream().map(FamilyEntry::toPlain).toList());
    }
    return m;
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0: " + d);
    }
  }

  private static void requireRange(String name, Duration min, Duration max) {
    if (min == null || max == null || min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException(name + " interval must satisfy 0 <= min <= max: " + min + ", " + max);
    }
  }
}
