package dev.lockstep.checkers.sim;

import dev.lockstep.histories.Keyword;
import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded simulation of clients running multi-register transactions ({@code f txn}, value
 * {@code [[:r k v] [:w k v] ...]}) on a serializable store of registers that all start nil: each
 * transaction takes effect atomically at a random instant between its invocation and its
 * completion, so the history is linearizable; with {@code staleRead}, one read late in the history
 * returns a value its key held before a completed write, which no order can explain.
 */
public final class TxnSimulator {
  private static final Keyword READ = new Keyword("r");
  private static final Keyword WRITE = new Keyword("w");
  private static final int MICRO_OPS_MAX = 3;
  private static final int VALUES = 5;
  private static final int IDLE = 0;
  private static final int INVOKED = 1;
  private static final int APPLIED = 2;

  private final SplittableRandom random;
  private final int keys;
  private final Long[] store;
  private final List<Op> history = new ArrayList<>();

  private TxnSimulator(int keys, long seed) {
    this.random = new SplittableRandom(seed);
    this.keys = keys;
    this.store = new Long[keys];
  }

  /** {@code txns} transactions by {@code processes} clients over {@code keys} keys, ops indexed. */
  public static List<Op> run(int processes, int keys, int txns, long seed, boolean staleRead) {
    return new TxnSimulator(keys, seed).simulate(processes, txns, staleRead);
  }

  private List<Op> simulate(int processes, int txns, boolean staleRead) {
    int[] phase = new int[processes];
    List<List<Object>> planned = new ArrayList<>();
    List<List<Object>> done = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      planned.add(null);
      done.add(null);
    }
    int invoked = 0;
    int open = 0;
    boolean staleDone = !staleRead;
    while (invoked < txns || open > 0) {
      int p = random.nextInt(processes);
      switch (phase[p]) {
        case IDLE -> {
          if (invoked == txns) {
            continue;
          }
          planned.set(p, plan());
          emit(Op.Type.INVOKE, p, planned.get(p));
          phase[p] = INVOKED;
          invoked++;
          open++;
        }
        case INVOKED -> {
          done.set(p, apply(planned.get(p)));
          phase[p] = APPLIED;
        }
        default -> {
          List<Object> result = done.get(p);
          if (!staleDone && invoked > txns * 3 / 4) {
            staleDone = stale(result);
          }
          emit(Op.Type.OK, p, result);
          phase[p] = IDLE;
          open--;
        }
      }
    }
    return history;
  }

  /** Reads with nil values and writes of small values, on distinct keys within a transaction. */
  private List<Object> plan() {
    int n = 1 + random.nextInt(MICRO_OPS_MAX);
    List<Object> txn = new ArrayList<>(n);
    boolean[] used = new boolean[keys];
    for (int i = 0; i < n; i++) {
      int k = random.nextInt(keys);
      if (used[k]) {
        continue;
      }
      used[k] = true;
      boolean write = random.nextBoolean();
      txn.add(Arrays.asList(write ? WRITE : READ, (long) k, write ? (Object) (long) random.nextInt(VALUES) : null));
    }
    return txn;
  }

  private List<Object> apply(List<Object> txn) {
    List<Object> result = new ArrayList<>(txn.size());
    for (Object o : txn) {
      List<?> m = (List<?>) o;
      int k = (int) (long) (Long) m.get(1);
      if (m.get(0) == WRITE) {
        store[k] = (Long) m.get(2);
        result.add(m);
      } else {
        result.add(Arrays.asList(READ, (long) k, store[k]));
      }
    }
    return result;
  }

  /** Makes the first read of {@code result} return a value its key does not hold; true if it could. */
  private boolean stale(List<Object> result) {
    for (int i = 0; i < result.size(); i++) {
      List<?> m = (List<?>) result.get(i);
      if (m.get(0) == READ && m.get(2) != null) {
        long wrong = ((Long) m.get(2) + 1) % VALUES + VALUES;
        result.set(i, Arrays.asList(READ, m.get(1), wrong));
        return true;
      }
    }
    return false;
  }

  private void emit(Op.Type type, int process, List<Object> txn) {
    List<Object> value = txn;
    if (type == Op.Type.INVOKE) {
      value = new ArrayList<>(txn.size());
      for (Object o : txn) {
        List<?> m = (List<?>) o;
        value.add(m.get(0) == READ ? Arrays.asList(READ, m.get(1), null) : m);
      }
    }
    long index = history.size();
    history.add(new Op(index, type, "txn", value, (long) process, index, null, null, null));
  }
}
