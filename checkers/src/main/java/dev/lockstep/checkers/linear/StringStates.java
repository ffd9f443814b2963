package dev.lockstep.checkers.linear;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The states of one key of Porcupine's kv model: strings, interned as the search makes them, so a
 * state is one int and equal strings are one state however they were built (a put of "ab" and the
 * appends of "a" and "b" agree). Nil is a state of its own, only left by a put.
 */
final class StringStates {
  private static final long BYTES_PER_STATE = 64;

  private final Budget budget;
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> strings = new ArrayList<>();
  private final LongIntMap appended = new LongIntMap();
  private int nil = -1;

  StringStates(Budget budget) {
    this.budget = budget;
  }

  /** The id of {@code value}: a string, or nil. */
  int idOf(String value) {
    if (value == null) {
      if (nil < 0) {
        strings.add(null);
        nil = strings.size() - 1;
      }
      return nil;
    }
    Integer known = ids.get(value);
    if (known != null) {
      return known;
    }
    if (budget != null) {
      budget.reserve(BYTES_PER_STATE + 2L * value.length());
    }
    strings.add(value);
    ids.put(value, strings.size() - 1);
    return strings.size() - 1;
  }

  /** The state {@code state} with {@code suffix} appended; nil takes an append as "" would. */
  int append(int state, int suffix) {
    long edge = ((long) state << 32) | suffix;
    int known = appended.get(edge);
    if (known != LongIntMap.ABSENT) {
      return known;
    }
    String s = strings.get(state);
    int result = idOf((s == null ? "" : s) + strings.get(suffix));
    appended.put(edge, result);
    return result;
  }

  String value(int state) {
    return strings.get(state);
  }
}
