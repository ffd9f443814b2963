package dev.lockstep.histories.format;

/**
 * Hands out one {@link String} for each short text that repeats (op types, {@code f}s, the
 * nemesis), so a large history neither allocates nor holds a copy per op. Direct-mapped: a slot
 * keeps the last text that hashed to it. Not thread-safe: one per reader.
 */
final class StringCache {
  private static final int SLOTS = 512;
  private static final int CACHED_CHARS_MAX = 32;

  private final String[] slots = new String[SLOTS];

  /** The text of {@code chars[offset, offset + length)}. */
  String get(char[] chars, int offset, int length) {
    if (length > CACHED_CHARS_MAX) {
      return new String(chars, offset, length);
    }
    int h = 0;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + chars[i];
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    String s = slots[slot];
    if (s == null || !matches(s, chars, offset, length)) {
      s = new String(chars, offset, length);
      slots[slot] = s;
    }
    return s;
  }

  private static boolean matches(String s, char[] chars, int offset, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
