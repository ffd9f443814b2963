package dev.lockstep.nemesis.schedule;

import dev.lockstep.nemesis.DurationText;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code --nemesis}: a family, and how often, for how long and with which parameters its
 * faults come when the user says so. {@code every} is the mean time between the starts of two of its
 * faults (the family then runs on a schedule lane of its own, overlapping the others), {@code [forMin,
 * forMax]} the range its fault durations are drawn from; a null field keeps the run's default. {@code
 * pins} fix parameters the schedule would otherwise draw ({@link Family#pinValue}), e.g. {@code
 * target=peer}: the draw still happens, so pinning one parameter changes nothing else in the schedule.
 * Written {@code FAMILY[:every=DUR][:for=DUR[-DUR]][:KEY=VALUE]...}, e.g. {@code
 * partition:target=peer:every=5s:for=1s-2s}; a duration is written as {@link DurationText} reads it.
 */
public record FamilyEntry(Family family, Duration every, Duration forMin, Duration forMax, Map<String, Object> pins) {
  /** The shortest {@code every} a family may take: faults need time to start and heal. */
  public static final Duration EVERY_MIN = Duration.ofMillis(500);
  /** The shortest fault a family may ask for. */
  public static final Duration FOR_MIN = Duration.ofMillis(100);

  public FamilyEntry {
    if ((forMin == null) != (forMax == null)) {
      throw new IllegalArgumentException("a fault duration range needs both ends");
    }
    pins = Collections.unmodifiableMap(new LinkedHashMap<>(pins == null ? Map.of() : pins));
  }

  /** An entry with a pace and no pins. */
  public FamilyEntry(Family family, Duration every, Duration forMin, Duration forMax) {
    this(family, every, forMin, forMax, Map.of());
  }

  /** Whether the entry says anything beyond the family's name. */
  public boolean hasSettings() {
    return every != null || forMin != null || !pins.isEmpty();
  }

  /** {@code drawn} with this entry's pins in place of the drawn values. */
  public Map<String, Object> pinned(Map<String, Object> drawn) {
    if (pins.isEmpty() || drawn == null) {
      return drawn;
    }
    Map<String, Object> v = new LinkedHashMap<>(drawn);
    v.putAll(pins);
    return Collections.unmodifiableMap(v);
  }

  /** Whether the family runs on its own lane at its own rate. */
  public boolean paced() {
    return every != null;
  }

  /**
   * Parses one entry of {@code --nemesis}: a family label, optionally with {@code :every=}, {@code :for=}
   * and {@code :KEY=VALUE} pins.
   *
   * @throws IllegalArgumentException naming the entry and what is wrong with it
   */
  public static FamilyEntry parse(String entry) {
    String[] parts = entry.trim().split(":", -1);
    Family family = Family.parse(parts[0]);
    Duration every = null;
    Duration forMin = null;
    Duration forMax = null;
    Map<String, Object> pins = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      int eq = part.indexOf('=');
      String key = eq < 0 ? part : part.substring(0, eq);
      String val = eq < 0 ? "" : part.substring(eq + 1);
      switch (key) {
        case "every" -> {
          every = duration(entry, val);
          if (every.compareTo(EVERY_MIN) < 0) {
            throw bad(entry, "every= must be at least " + EVERY_MIN.toMillis() + "ms");
          }
        }
        case "for" -> {
          int dash = val.indexOf('-');
          forMin = duration(entry, dash < 0 ? val : val.substring(0, dash));
          forMax = dash < 0 ? forMin : duration(entry, val.substring(dash + 1));
          if (forMin.compareTo(FOR_MIN) < 0 || forMax.compareTo(forMin) < 0) {
            throw bad(entry, "for= must be at least " + FOR_MIN.toMillis() + "ms, and MIN-MAX with MIN <= MAX");
          }
        }
        default -> {
          if (eq < 0) {
            throw bad(entry, "unknown setting '" + part + "' (every=DUR, for=DUR, for=MIN-MAX or KEY=VALUE)");
          }
          if (pins.containsKey(key)) {
            throw bad(entry, key + "= is given twice");
          }
          try {
            pins.put(key, family.pinValue(key, val.trim()));
          } catch (IllegalArgumentException e) {
            throw bad(entry, e.getMessage());
          }
        }
      }
    }
    if (parts.length > 1 && !faulting(family)) {
      throw bad(entry, family.label() + " makes no faults of its own, so it takes no settings");
    }
    return new FamilyEntry(family, every, forMin, forMax, pins);
  }

  /** Parses every entry of a {@code --nemesis} list. */
  public static List<FamilyEntry> parseAll(List<String> entries) {
    return entries.stream().map(FamilyEntry::parse).toList();
  }

  /** The label and settings as the user writes them, e.g. {@code kill:every=10s:for=1s-3s:target=primary}. */
  public String label() {
    StringBuilder b = new StringBuilder(family.label());
    if (every != null) {
      b.append(":every=").append(format(every));
    }
    if (forMin != null) {
      b.append(":for=").append(format(forMin));
      if (!forMax.equals(forMin)) {
        b.append('-').append(format(forMax));
      }
    }
    pins.forEach((k, v) -> b.append(':').append(k).append('=').append(v));
    return b.toString();
  }

  /** Plain data for the run directory's settings. */
  public Map<String, Object> toPlain() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("family", family.label());
    if (every != null) {
      m.put("every-ms", every.toMillis());
    }
    if (forMin != null) {
      m.put("for-ms", List.of(forMin.toMillis(), forMax.toMillis()));
    }
    if (!pins.isEmpty()) {
      m.put("pins", pins);
    }
    return m;
  }

  private static boolean faulting(Family f) {
    return f != Family.MIX && f != Family.DOUBLE_FAILURE;
  }

  private static Duration duration(String entry, String text) {
    return DurationText.parse("--nemesis '" + entry.trim() + "'", text);
  }

  private static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static IllegalArgumentException bad(String entry, String why) {
    return new IllegalArgumentException("--nemesis '" + entry.trim() + "': " + why);
  }
}
