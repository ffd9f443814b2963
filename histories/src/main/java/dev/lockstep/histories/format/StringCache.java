package dev.lockstep.histories.format;

import java.nio.charset.StandardCharsets;

/**
 * Hands out one {@link String} for each short ASCII text that repeats (op types, {@code f}s, field
 * names, the nemesis), so a large history neither allocates nor holds a copy per op.
 * Direct-mapped: a slot keeps the last text that hashed to it. Not thread-safe: one per reader.
 */
final class StringCache {
  private static final int SLOTS = 512;
  static final int CACHED_BYTES_MAX = 32;

  private final String[] slots = new String[SLOTS];

  /** The text of the ASCII bytes {@code b[from, to)}. */
  String ascii(byte[] b, int from, int to) {
    int length = to - from;
    if (length > CACHED_BYTES_MAX) {
      return new String(b, from, length, StandardCharsets.ISO_8859_1);
    }
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + b[i];
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    String s = slots[slot];
    if (s == null || !matches(s, b, from, length)) {
      s = new String(b, from, length, StandardCharsets.ISO_8859_1);
      slots[slot] = s;
    }
    return s;
  }

  private static boolean matches(String s, byte[] b, int from, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != b[from + i]) {
        return false;
      }
    }
    return true;
  }
}
