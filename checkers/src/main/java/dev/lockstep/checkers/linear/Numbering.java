package dev.lockstep.checkers.linear;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Numbers objects 0, 1, 2... in order of first appearance, equal objects alike. TRICKY: processes
 * and keys are nearly always small non-negative longs, looked up in an array; a hash lookup per op
 * was a good part of pairing and grouping a large history.
 */
final class Numbering {
  /** Longs {@code 0..DIRECT_MAX-1} are numbered without hashing. */
  static final int DIRECT_MAX = 1 << 16;
  private static final int DIRECT_FIRST = 16;

  /** Number plus one of each small long; 0 when it was not seen yet. */
  private int[] direct = new int[0];
  private final Map<Object, Integer> others = new HashMap<>();
  private int count;

  /** How many distinct objects were numbered. */
  int count() {
    return count;
  }

  /** The number of {@code o}: {@link #count()} before the call when {@code o} is new. */
  int numberOf(Object o) {
    if (o instanceof Long n && n >= 0 && n < DIRECT_MAX) {
      int i = (int) (long) n;
      if (i >= direct.length) {
        direct = Arrays.copyOf(direct, Math.min(DIRECT_MAX, Math.max(DIRECT_FIRST, Integer.highestOneBit(i) << 1)));
      }
      if (direct[i] == 0) {
        direct[i] = ++count;
      }
      return direct[i] - 1;
    }
    Integer known = others.get(o);
    if (known == null) {
      known = count++;
      others.put(o, known);
    }
    return known;
  }
}
