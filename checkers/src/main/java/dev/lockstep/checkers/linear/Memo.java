package dev.lockstep.checkers.linear;

/**
 * The set of search configurations already explored, as 128-bit fingerprints of (model state,
 * linearized set): open addressing over one {@code long[]} of pairs. TRICKY: two configurations
 * with equal fingerprints are taken as equal; with random 128-bit Zobrist keys the chance of a
 * collision among even a billion entries is below 1e-20, and a collision could only prune a path.
 */
final class Memo {
  private static final int INITIAL_SLOTS_MIN = 1 << 4;
  private static final int INITIAL_SLOTS_MAX = 1 << 16;
  private static final long BYTES_PER_SLOT = 16;

  private final Budget budget;
  private long[] table;
  private int mask;
  private int size;

  /** A memo sized for about {@code expected} entries (a search adds at least one per call). */
  Memo(Budget budget, int expected) {
    this.budget = budget;
    int slots = Integer.highestOneBit(Math.max(INITIAL_SLOTS_MIN, Math.min(INITIAL_SLOTS_MAX, expected * 2)) - 1) << 1;
    budget.reserve(slots * BYTES_PER_SLOT);
    table = new long[slots * 2];
    mask = slots - 1;
  }

  /** Adds the fingerprint; false when it was already there. */
  boolean add(long k1, long k2) {
    if (k1 == 0 && k2 == 0) {
      k1 = 1; // (0, 0) marks an empty slot
    }
    int slot = (int) (k1 ^ (k1 >>> 29)) & mask;
    while (true) {
      int i = slot << 1;
      long a = table[i];
      long b = table[i + 1];
      if (a == 0 && b == 0) {
        table[i] = k1;
        table[i + 1] = k2;
        if (++size * 2 > mask + 1) {
          grow();
        }
        return true;
      }
      if (a == k1 && b == k2) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Whether the fingerprint is there. */
  boolean contains(long k1, long k2) {
    if (k1 == 0 && k2 == 0) {
      k1 = 1;
    }
    int slot = (int) (k1 ^ (k1 >>> 29)) & mask;
    while (true) {
      int i = slot << 1;
      long a = table[i];
      long b = table[i + 1];
      if (a == k1 && b == k2) {
        return true;
      }
      if (a == 0 && b == 0) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
  }

  int size() {
    return size;
  }

  /** Gives the table's bytes back to the budget; the memo must not be used afterwards. */
  void free() {
    budget.release((long) (mask + 1) * BYTES_PER_SLOT);
    table = null;
  }

  private void grow() {
    int slots = (mask + 1) << 1;
    budget.reserve((long) slots * BYTES_PER_SLOT);
    long[] old = table;
    table = new long[slots * 2];
    mask = slots - 1;
    for (int i = 0; i < old.length; i += 2) {
      long a = old[i];
      long b = old[i + 1];
      if (a != 0 || b != 0) {
        int slot = (int) (a ^ (a >>> 29)) & mask;
        while (table[slot << 1] != 0 || table[(slot << 1) + 1] != 0) {
          slot = (slot + 1) & mask;
        }
        table[slot << 1] = a;
        table[(slot << 1) + 1] = b;
      }
    }
    budget.release((long) (old.length / 2) * BYTES_PER_SLOT);
  }
}
