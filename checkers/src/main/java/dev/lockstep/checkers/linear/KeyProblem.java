package dev.lockstep.checkers.linear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One key's calls compiled for the search: ints in arrays, values interned to ids. Calls that
 * completed ok are ops {@code 0..okCount-1} in invocation order; crashed calls follow, grouped in
 * classes of identical effect (the search only ever takes the earliest-invoked untaken member of a
 * class, since any member can stand in for a later-invoked one).
 *
 * <p>Values no read and no cas ever observes all share id {@link #UNOBSERVED}: a state holding one
 * can only be left by a write, so which of them it is never matters; a crashed write (or cas, or
 * append) of such a value can never help a linearization and is dropped.
 */
final class KeyProblem {
  static final int K_READ = 0;
  static final int K_WRITE = 1;
  static final int K_CAS = 2;
  static final int K_APPEND = 3;
  static final int K_ACQUIRE = 4;
  static final int K_RELEASE = 5;
  /** A multi-register transaction; {@code a} is its id in {@link #registerMaps}. */
  static final int K_TXN = 6;
  /** Porcupine's append; {@code a} is the suffix's id in {@link #strings}. */
  static final int K_STRING_APPEND = 7;
  /** Operand of a read that matches any state (a nil read under {@code --knossos-nil}). */
  static final int ANY = -2;
  static final int UNOBSERVED = 0;

  final Object key;
  final Model model;
  final int okCount;
  final int[] kind;
  final int[] a;
  final int[] b;
  final int[] callPos;
  final int[] retPos;
  final Call[] calls;
  final int[][] classes;
  /** Ops with equal (kind, a, b) share an effect id; {@code classEffect[c]} is class c's. */
  final int[] effect;
  final int[] classEffect;
  final int effects;
  final int initState;
  /** Value (or element) of each id; index 0 is {@link #UNOBSERVED}. */
  final List<Object> values;
  final ListTrie trie;
  final RegisterMapStates registerMaps;
  final StringStates strings;

  private KeyProblem(Builder builder) {
    key = builder.key;
    model = builder.model;
    int n = builder.count;
    int[] order = new int[n];
    int placed = 0;
    for (int i = 0; i < n; i++) {
      if (!builder.sources.get(i).crashed()) {
        order[placed++] = i;
      }
    }
    okCount = placed;
    for (int i = 0; i < n; i++) {
      if (builder.sources.get(i).crashed()) {
        order[placed++] = i;
      }
    }
    kind = new int[n];
    a = new int[n];
    b = new int[n];
    callPos = new int[n];
    retPos = new int[n];
    calls = new Call[n];
    for (int x = 0; x < n; x++) {
      int i = order[x];
      kind[x] = builder.kinds[i];
      a[x] = builder.as[i];
      b[x] = builder.bs[i];
      calls[x] = builder.sources.get(i);
      callPos[x] = calls[x].invokePos();
      retPos[x] = calls[x].endPos();
    }
    effect = new int[n];
    effects = numberEffects(n);
    classes = classify(n);
    classEffect = new int[classes.length];
    for (int c = 0; c < classes.length; c++) {
      classEffect[c] = effect[classes[c][0]];
    }
    initState = builder.initState;
    values = builder.values;
    trie = builder.trie;
    registerMaps = builder.registerMaps;
    strings = builder.strings;
  }

  /** Whether op x leaves every state it can happen in as it was (a read, a read-only txn). */
  boolean pure(int x) {
    return kind[x] == K_READ || (kind[x] == K_TXN && registerMaps.readOnly(a[x]));
  }

  /**
   * Gives ops with equal (kind, a, b) equal ids in {@link #effect}, from 0 in order of first
   * appearance; returns how many there are. Open addressing over the packed triples.
   */
  private int numberEffects(int n) {
    int slots = Integer.highestOneBit(Math.max(2, 2 * n) - 1) << 1;
    long[] keys = new long[slots];
    int[] ids = new int[slots];
    Arrays.fill(ids, -1);
    int count = 0;
    for (int x = 0; x < n; x++) {
      long packed = ((long) kind[x] << 58) | ((long) (a[x] + 2) << 29) | (b[x] + 2);
      int slot = (int) (packed ^ (packed >>> 29) ^ (packed >>> 58)) * 0x9E3779B9 >>> 1 & (slots - 1);
      while (ids[slot] >= 0 && keys[slot] != packed) {
        slot = (slot + 1) & (slots - 1);
      }
      if (ids[slot] < 0) {
        keys[slot] = packed;
        ids[slot] = count++;
      }
      effect[x] = ids[slot];
    }
    return count;
  }

  int size() {
    return kind.length;
  }

  /** The crashed ops grouped by effect, classes in order of first member, members by invocation. */
  private int[][] classify(int n) {
    int[] classOf = new int[effects];
    Arrays.fill(classOf, -1);
    int[] sizes = new int[n - okCount];
    int count = 0;
    for (int x = okCount; x < n; x++) {
      int e = effect[x];
      if (classOf[e] < 0) {
        classOf[e] = count++;
      }
      sizes[classOf[e]]++;
    }
    int[][] out = new int[count][];
    for (int c = 0; c < count; c++) {
      out[c] = new int[sizes[c]];
      sizes[c] = 0;
    }
    for (int x = okCount; x < n; x++) {
      int c = classOf[effect[x]];
      out[c][sizes[c]++] = x;
    }
    return out;
  }

  /** Compiles one key's calls (in invocation order). */
  static KeyProblem compile(Object key, List<Call> calls, Model model, LinearOptions options, Budget budget) {
    return compile(key, calls, model, options, budget, false);
  }

  /**
   * As {@link #compile(Object, List, Model, LinearOptions, Budget)}; with {@code exact}, every value
   * gets its own id (none is {@link #UNOBSERVED}), so a counterexample can name every state.
   */
  static KeyProblem compile(Object key, List<Call> calls, Model model, LinearOptions options, Budget budget, boolean exact) {
    Builder builder = new Builder(key, model, options.knossosNil(), calls.size());
    builder.exact = exact;
    return switch (model) {
      case MUTEX -> builder.mutex(calls).build();
      case LIST_APPEND -> builder.lists(calls, CanonicalValue.of(options.init()), budget).build();
      case MULTI_REGISTER -> builder.txns(calls, options.init(), budget).build();
      case PORCUPINE_KV -> builder.strings(calls, options.init(), budget).build();
      default -> builder.registers(calls, CanonicalValue.of(options.init())).build();
    };
  }

  /** Collects compiled ops before they are laid out in arrays. */
  private static final class Builder {
    final Object key;
    final Model model;
    final boolean knossosNil;
    int[] kinds;
    int[] as;
    int[] bs;
    int count;
    final List<Call> sources;
    final List<Object> values = new ArrayList<>();
    final Map<Object, Integer> ids = new HashMap<>();
    ListTrie trie;
    RegisterMapStates registerMaps;
    StringStates strings;
    int initState;
    boolean exact;

    Builder(Object key, Model model, boolean knossosNil, int expected) {
      this.key = key;
      this.model = model;
      this.knossosNil = knossosNil;
      values.add(null);
      kinds = new int[Math.max(1, expected)];
      as = new int[kinds.length];
      bs = new int[kinds.length];
      sources = new ArrayList<>(kinds.length);
    }

    KeyProblem build() {
      return new KeyProblem(this);
    }

    Builder mutex(List<Call> calls) {
      for (Call call : calls) {
        add(call, call.kind() == OpKind.ACQUIRE ? K_ACQUIRE : K_RELEASE, 0, 0);
      }
      return this;
    }

    Builder registers(List<Call> calls, Object init) {
      Set<Object> observed = new HashSet<>();
      for (Call call : calls) {
        if (call.kind() == OpKind.READ && !(knossosNil && call.value() == null)) {
          observed.add(call.value());
        } else if (call.kind() == OpKind.CAS) {
          observed.add(casPair(call).get(0));
        }
      }
      if (exact) {
        observed.add(init);
        for (Call call : calls) {
          if (call.kind() == OpKind.WRITE) {
            observed.add(call.value());
          } else if (call.kind() == OpKind.CAS) {
            observed.add(casPair(call).get(1));
          }
        }
      }
      observed.forEach(this::intern);
      initState = idOf(init);
      for (Call call : calls) {
        switch (call.kind()) {
          case READ -> add(call, K_READ, call.value() == null && knossosNil ? ANY : idOf(call.value()), 0);
          case WRITE -> addUnlessInvisible(call, K_WRITE, idOf(call.value()), 0, idOf(call.value()));
          default -> {
            List<?> pair = casPair(call);
            addUnlessInvisible(call, K_CAS, idOf(pair.get(0)), idOf(pair.get(1)), idOf(pair.get(1)));
          }
        }
      }
      return this;
    }

    Builder lists(List<Call> calls, Object init, Budget budget) {
      trie = new ListTrie(budget);
      for (Call call : calls) {
        if (call.kind() == OpKind.READ && call.value() != null) {
          readList(call).forEach(this::intern);
        } else if (exact && call.kind() == OpKind.APPEND) {
          intern(call.value());
        }
      }
      initState = init instanceof List<?> l ? walk(l) : 0;
      for (Call call : calls) {
        if (call.kind() == OpKind.READ) {
          int node = call.value() == null ? (knossosNil ? ANY : 0) : walk(readList(call));
          add(call, K_READ, node, 0);
        } else {
          addUnlessInvisible(call, K_APPEND, idOf(call.value()), 0, idOf(call.value()));
        }
      }
      return this;
    }

    Builder txns(List<Call> calls, Object init, Budget budget) {
      registerMaps = new RegisterMapStates(budget);
      int[] ids = new int[calls.size()];
      for (int i = 0; i < calls.size(); i++) {
        Call call = calls.get(i);
        ids[i] = registerMaps.txn(call.value(), Calls.describe(call.invoke(), call.invokePos()));
      }
      initState = registerMaps.initial(init);
      for (int i = 0; i < calls.size(); i++) {
        // A crashed transaction that only reads constrains nothing, as a crashed read.
        if (!(calls.get(i).crashed() && registerMaps.readOnly(ids[i]))) {
          add(calls.get(i), K_TXN, ids[i], 0);
        }
      }
      return this;
    }

    Builder strings(List<Call> calls, Object init, Budget budget) {
      strings = new StringStates(budget);
      initState = strings.idOf(init == null ? "" : string(init, "--init"));
      for (Call call : calls) {
        String where = Calls.describe(call.invoke(), call.invokePos());
        switch (call.kind()) {
          case READ -> add(call, K_READ, call.value() == null && knossosNil ? ANY : strings.idOf(string(call.value(), where)), 0);
          case WRITE -> add(call, K_WRITE, strings.idOf(string(call.value(), where)), 0);
          default -> add(call, K_STRING_APPEND, strings.idOf(string(call.value(), where)), 0);
        }
      }
      return this;
    }

    private static String string(Object value, String where) {
      if (value == null || value instanceof String) {
        return (String) value;
      }
      throw new HistoryException(
          "op " + where + " has value " + value + ": model porcupine-kv holds strings (write \"" + value + "\")");
    }

    private int walk(List<?> list) {
      int node = 0;
      for (Object element : list) {
        node = trie.child(node, idOf(element));
      }
      return node;
    }

    private void addUnlessInvisible(Call call, int k, int opA, int opB, int written) {
      if (call.crashed() && written == UNOBSERVED) {
        return;
      }
      add(call, k, opA, opB);
    }

    private void add(Call call, int k, int opA, int opB) {
      if (count == kinds.length) {
        kinds = Arrays.copyOf(kinds, count * 2);
        as = Arrays.copyOf(as, count * 2);
        bs = Arrays.copyOf(bs, count * 2);
      }
      kinds[count] = k;
      as[count] = opA;
      bs[count] = opB;
      count++;
      sources.add(call);
    }

    private void intern(Object value) {
      ids.computeIfAbsent(value, v -> {
        values.add(v);
        return values.size() - 1;
      });
    }

    private int idOf(Object value) {
      Integer id = ids.get(value);
      return id == null ? UNOBSERVED : id;
    }

    private static List<?> casPair(Call call) {
      if (call.value() instanceof List<?> pair && pair.size() == 2) {
        return pair;
      }
      throw new HistoryException(
          "op " + Calls.describe(call.invoke(), call.invokePos()) + " is a cas whose value is not [expected new]");
    }

    private static List<?> readList(Call call) {
      if (call.value() instanceof List<?> list) {
        return list;
      }
      throw new HistoryException(
          "op " + Calls.describe(call.invoke(), call.invokePos()) + " reads " + call.value() + ", not a list");
    }
  }

  @Override
  public String toString() {
    return "KeyProblem[" + key + ", ok=" + okCount + ", crashed=" + (size() - okCount) + ", classes="
        + Arrays.stream(classes).mapToInt(c -> c.length).sum() + "]";
  }
}
