package dev.lockstep.nemesis;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them on the command line: {@code 500ms}, {@code 90s}, {@code 10m}, {@code 2h}, or bare seconds. */
public final class DurationText {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(ms|s|m|h)?");
  /** The longest duration accepted: about a year, far beyond any run. */
  private static final double NANOS_MAX = 366 * 86_400e9;

  private DurationText() {}

  /**
   * Parses a positive duration of at least a millisecond.
   *
   * @param what names the setting in the error, e.g. {@code --duration}
   * @throws IllegalArgumentException naming {@code what} and the text
   */
  public static Duration parse(String what, String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(what + ": '" + text.trim() + "' is not a duration (500ms, 90s, 10m, 2h, or seconds)");
    }
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double nanos = v * switch (unit) {
      case "ms" -> 1e6;
      case "m" -> 60e9;
      case "h" -> 3600e9;
      default -> 1e9;
    };
    if (nanos < 1e6 || nanos > NANOS_MAX) {
      throw new IllegalArgumentException(what + ": '" + text.trim() + "' must be from 1ms to a year");
    }
    return Duration.ofNanos(Math.round(nanos));
  }
}
