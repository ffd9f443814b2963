package dev.lockstep.checkers;

import java.util.Locale;

/** A three-valued verdict. Merging keeps the worst: {@code FALSE > UNKNOWN > TRUE}. */
public enum Verdict {
  TRUE,
  UNKNOWN,
  FALSE;

  /** The worse of the two verdicts. */
  public Verdict merge(Verdict other) {
    return compareTo(other) >= 0 ? this : other;
  }

  /** {@code true}, {@code false} or {@code unknown}, as printed and stored. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The exit code of {@code lockstep check}: 0 valid, 1 invalid, 2 unknown. */
  public int exitCode() {
    return switch (this) {
      case TRUE -> 0;
      case FALSE -> 1;
      case UNKNOWN -> 2;
    };
  }
}
