package dev.lockstep.checkers.linear;

import dev.lockstep.histories.Keyword;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The states of Knossos's multi-register: a value per key, made as the search reaches them, each
 * one int. A transaction is a list of {@code [f k v]} micro-ops ({@code f} is {@code r}/{@code read}
 * or {@code w}/{@code write}), applied in order and atomically; a read of nil matches any value, as
 * in Knossos. Transactions are interned too, so equal transactions are one effect.
 */
final class RegisterMapStates {
  private static final long BYTES_PER_STATE = 96;
  private static final int READ = 0;
  private static final int WRITE = 1;
  private static final int NO_NEXT = -1;
  private static final int UNSEEN = -2;

  private final Budget budget;
  private final Map<Object, Integer> keyIds = new HashMap<>();
  private final List<Object> keys = new ArrayList<>();
  private final Map<Object, Integer> valueIds = new HashMap<>();
  private final List<Object> values = new ArrayList<>();
  private final Map<Object, Integer> txnIds = new HashMap<>();
  /** Per txn: triples (READ or WRITE, key id, value id or {@link KeyProblem#ANY}). */
  private final List<int[]> txns = new ArrayList<>();
  private final Map<Vector, Integer> stateIds = new HashMap<>();
  private final List<int[]> states = new ArrayList<>();
  /** Per txn: whether it only reads (the search asks at every node). */
  private boolean[] readOnly = new boolean[0];
  private final LongIntMap next = new LongIntMap();

  RegisterMapStates(Budget budget) {
    this.budget = budget;
  }

  /** The id of the transaction {@code txn} (a list of micro-ops); {@code where} names the op for errors. */
  int txn(Object txn, String where) {
    Integer known = txnIds.get(txn);
    if (known != null) {
      return known;
    }
    if (!(txn instanceof List<?> micros)) {
      throw new HistoryException("op " + where + " is a txn whose value is not a list of [f k v] micro-ops");
    }
    int[] compiled = new int[3 * micros.size()];
    for (int i = 0; i < micros.size(); i++) {
      if (!(micros.get(i) instanceof List<?> m) || m.size() != 3) {
        throw new HistoryException("op " + where + " has micro-op " + micros.get(i) + ", not [f k v]");
      }
      String f = name(m.get(0));
      compiled[3 * i] = switch (f) {
        case "r", "read" -> READ;
        case "w", "write" -> WRITE;
        default -> throw new HistoryException("op " + where + " has micro-op f=" + f + "; expected r, read, w or write");
      };
      compiled[3 * i + 1] = keyIds.computeIfAbsent(m.get(1), k -> {
        keys.add(k);
        return keys.size() - 1;
      });
      Object v = m.get(2);
      compiled[3 * i + 2] = compiled[3 * i] == READ && v == null ? KeyProblem.ANY : valueId(v);
    }
    txns.add(compiled);
    txnIds.put(txn, txns.size() - 1);
    if (readOnly.length < txns.size()) {
      readOnly = Arrays.copyOf(readOnly, Math.max(16, 2 * txns.size()));
    }
    readOnly[txns.size() - 1] = onlyReads(compiled);
    return txns.size() - 1;
  }

  /** Whether transaction {@code t} only reads. */
  boolean readOnly(int t) {
    return readOnly[t];
  }

  private static boolean onlyReads(int[] ops) {
    for (int i = 0; i < ops.length; i += 3) {
      if (ops[i] == WRITE) {
        return false;
      }
    }
    return true;
  }

  /**
   * The initial state, once every transaction is known: {@code init} is a map from key (or its
   * name) to value, or one value for every key; nil by default.
   */
  int initial(Object init) {
    int[] vector = new int[keys.size()];
    for (int k = 0; k < vector.length; k++) {
      Object v = init;
      if (init instanceof Map<?, ?> byKey) {
        Object key = keys.get(k);
        // TRICKY: Map.of throws on a null lookup; a nil key can only have the default.
        v = key == null ? null : byKey.containsKey(key) ? byKey.get(key) : byKey.get(name(key));
      }
      vector[k] = valueId(CanonicalValue.of(v));
    }
    return stateOf(vector);
  }

  /** The state after transaction {@code t} from {@code state}, or -1 when a read does not match. */
  int apply(int state, int t) {
    long edge = ((long) state << 32) | t;
    int known = next.get(edge);
    if (known != LongIntMap.ABSENT) {
      return known;
    }
    int[] ops = txns.get(t);
    int[] from = states.get(state);
    int[] to = null;
    int result = UNSEEN;
    for (int i = 0; i < ops.length && result == UNSEEN; i += 3) {
      int[] now = to == null ? from : to;
      int k = ops[i + 1];
      int v = ops[i + 2];
      if (ops[i] == READ) {
        if (v != KeyProblem.ANY && now[k] != v) {
          result = NO_NEXT;
        }
      } else if (now[k] != v) {
        to = to == null ? from.clone() : to;
        to[k] = v;
      }
    }
    if (result == UNSEEN) {
      result = to == null ? state : stateOf(to);
    }
    budget.reserve(BYTES_PER_STATE / 2);
    next.put(edge, result);
    return result;
  }

  private int stateOf(int[] vector) {
    Vector key = new Vector(vector);
    Integer known = stateIds.get(key);
    if (known != null) {
      return known;
    }
    budget.reserve(BYTES_PER_STATE + 4L * vector.length);
    states.add(vector);
    stateIds.put(key, states.size() - 1);
    return states.size() - 1;
  }

  /** The state as a map from key to value, keys in order of first appearance. */
  Map<Object, Object> describe(int state) {
    Map<Object, Object> out = new LinkedHashMap<>();
    int[] vector = states.get(state);
    for (int k = 0; k < vector.length; k++) {
      out.put(keys.get(k), values.get(vector[k]));
    }
    return out;
  }

  private int valueId(Object v) {
    return valueIds.computeIfAbsent(v, x -> {
      values.add(x);
      return values.size() - 1;
    });
  }

  private static String name(Object o) {
    return o instanceof Keyword k ? k.name() : String.valueOf(o);
  }

  /** An int vector with value equality, as a hash key. */
  private record Vector(int[] ints) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Vector v && Arrays.equals(ints, v.ints);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ints);
    }
  }
}
