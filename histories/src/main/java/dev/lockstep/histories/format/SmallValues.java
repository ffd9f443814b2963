package dev.lockstep.histories.format;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.RandomAccess;

/**
 * Compact immutable values for readers of large histories, where every op's value stays in memory
 * and the garbage collector copies it: a two-element list (a cas's {@code [expected new]}, a
 * {@code [k v]} tuple) is one small object, and integers that repeat share one {@link Long}. The
 * lists are ordinary {@link List}s by every contract (equality, hash, order, nulls allowed), only
 * unmodifiable. Not thread-safe: one per reader.
 */
final class SmallValues {
  private static final int LONG_SLOTS = 1024;

  private final Long[] longs = new Long[LONG_SLOTS];

  /** A {@link Long} of value {@code n}, the same instance as last time when it is still cached. */
  Long box(long n) {
    int slot = (int) (n ^ (n >>> 32)) & (LONG_SLOTS - 1);
    Long cached = longs[slot];
    if (cached != null && cached == n) {
      return cached;
    }
    Long boxed = n;
    longs[slot] = boxed;
    return boxed;
  }

  /** An unmodifiable list of {@code items[from, to)}. */
  static List<Object> list(Object[] items, int from, int to) {
    return switch (to - from) {
      case 0 -> Collections.emptyList();
      case 1 -> Collections.singletonList(items[from]);
      case 2 -> new Pair(items[from], items[from + 1]);
      default -> new Many(Arrays.copyOfRange(items, from, to));
    };
  }

  /** A list of the elements of an array no one else holds. */
  private static final class Many extends AbstractList<Object> implements RandomAccess {
    private final Object[] items;

    Many(Object[] items) {
      this.items = items;
    }

    @Override
    public Object get(int index) {
      return items[index];
    }

    @Override
    public int size() {
      return items.length;
    }
  }

  /** A list of exactly two elements. */
  private static final class Pair extends AbstractList<Object> implements RandomAccess {
    private final Object first;
    private final Object second;

    Pair(Object first, Object second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public Object get(int index) {
      return switch (index) {
        case 0 -> first;
        case 1 -> second;
        default -> throw new IndexOutOfBoundsException("index " + index + " of a list of 2");
      };
    }

    @Override
    public int size() {
      return 2;
    }
  }
}
