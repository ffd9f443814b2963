package dev.lockstep.checkers.linear;

import java.util.Arrays;

/**
 * A map from long to int with open addressing, for the transition caches of models whose states
 * the search makes as it goes: no boxing on the search's hot path. Grows at half full.
 */
final class LongIntMap {
  /** What {@link #get} returns for a key with no value. */
  static final int ABSENT = Integer.MIN_VALUE;
  private static final int SLOTS_FIRST = 64;
  private static final long EMPTY = Long.MIN_VALUE;

  private long[] keys = newKeys(SLOTS_FIRST);
  private int[] values = new int[SLOTS_FIRST];
  private int size;

  private static long[] newKeys(int slots) {
    long[] k = new long[slots];
    Arrays.fill(k, EMPTY);
    return k;
  }

  int get(long key) {
    int mask = keys.length - 1;
    for (int slot = slot(key, mask); ; slot = (slot + 1) & mask) {
      long k = keys[slot];
      if (k == key) {
        return values[slot];
      }
      if (k == EMPTY) {
        return ABSENT;
      }
    }
  }

  /** Sets {@code key}'s value; {@code key} must not be {@link Long#MIN_VALUE}. */
  void put(long key, int value) {
    if (key == EMPTY) {
      throw new IllegalArgumentException("key Long.MIN_VALUE is reserved");
    }
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int slot = slot(key, mask);
    while (keys[slot] != EMPTY && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    if (keys[slot] == EMPTY) {
      size++;
    }
    keys[slot] = key;
    values[slot] = value;
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = newKeys(oldKeys.length * 2);
    values = new int[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int slot(long key, int mask) {
    long z = key * 0x9E3779B97F4A7C15L;
    return (int) (z ^ (z >>> 32)) & mask;
  }
}
