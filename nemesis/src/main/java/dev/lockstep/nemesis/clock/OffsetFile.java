package dev.lockstep.nemesis.clock;

import java.util.OptionalLong;

/** The one-line file format shared by writer and reader: {@code offsetNanos=<decimal>\n}. */
final class OffsetFile {
  static final String KEY = "offsetNanos=";

  private OffsetFile() {}

  static String format(long offsetNanos) {
    return KEY + offsetNanos + "\n";
  }

  /** The offset in {@code text}, or empty if it is not in the format. */
  static OptionalLong parse(String text) {
    String line = text.strip();
    if (!line.startsWith(KEY)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(line.substring(KEY.length())));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
