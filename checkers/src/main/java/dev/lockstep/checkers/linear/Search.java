package dev.lockstep.checkers.linear;

import java.util.Arrays;

/**
 * The Wing &amp; Gong / Lowe search over one key, depth first. Completed calls sit in a doubly
 * linked list of call and return entries in history order; at each node the choices are the calls
 * invoked before the first remaining return entry (linearizing one lifts both its entries out), and
 * when none works the search backtracks. Crashed calls are not in the list: they have no return, so
 * a node may also take one invoked before that first return, and the search succeeds as soon as
 * every completed call is linearized (crashed calls left over never happened).
 *
 * <p>Every configuration (model state, linearized set) is tried once: its 128-bit Zobrist
 * fingerprint goes into a {@link Memo}. The choices at a node are pruned by exchange arguments
 * (each keeps some linearization if one exists): a read that fits is taken alone; of calls with
 * equal effect only the one due first is tried; a crashed call is tried only when it changes the
 * state into one that some callable call needs, and then (except for list-append, where appends
 * commute with nothing) the next call must be one that could not happen before it; a configuration
 * that the search already tried with one crashed call fewer is skipped; and a choice that leaves a
 * state some completed call still needs, with no call left that could restore it in time, is cut.
 * When the call due first cannot happen yet, the choices leading to the state it needs go first.
 */
final class Search {
  private static final int NIL = -1;
  private static final int POLL_EVERY_STEPS = 1 << 10;
  private static final int STATES_SHOWN_MAX = 8;
  private static final int PATH_SHOWN_MAX = 12;
  /** Bound on the memo lookups per child for dominance by one crashed call fewer. */
  private static final int DOMINANCE_CHECKS_MAX = 64;
  private static final long ZOBRIST_SEED = 0x4c6f636b73746570L;

  private final KeyProblem p;
  private final Budget budget;
  private final Memo memo;
  private final long[] z1;
  private final long[] z2;
  private final int[] next;
  private final int[] prev;
  private final int[] pos;

  private int bestPos = -1;
  private int bestOp = -1;
  private int[] bestStates = new int[0];
  private int[] bestPath = new int[0];

  Search(KeyProblem problem, Budget budget) {
    this(problem, budget, false);
  }

  /**
   * A search; {@code explaining} turns off the pruning of choices that strand a needed state, so a
   * failure is reported at the call a person would blame (the read that saw the impossible value)
   * rather than at the first call whose every order strands it.
   */
  Search(KeyProblem problem, Budget budget, boolean explaining) {
    this.explaining = explaining;
    this.p = problem;
    this.budget = budget;
    this.memo = new Memo(budget, problem.size());
    this.buffer = new int[Math.min(BUFFER_INITIAL, 4 * problem.size() + 4)];
    this.madeStates = problem.model.madeStates();
    this.wanted = new int[madeStates ? 0 : Math.max(problem.values.size(), 2) + 1];
    if (!madeStates) {
      indexProducersAndConsumers();
      for (int x = 0; x < problem.size(); x++) {
        account(x, 1);
      }
    }
    int n = problem.size();
    z1 = new long[n];
    z2 = new long[n];
    for (int x = 0; x < n; x++) {
      z1[x] = splitMix(ZOBRIST_SEED + 2L * x);
      z2[x] = splitMix(ZOBRIST_SEED + 2L * x + 1);
    }
    int entries = 2 * problem.okCount + 1;
    next = new int[entries];
    prev = new int[entries];
    pos = new int[entries];
    link();
  }

  /** Entry {@code 2x+1} is op x's call, {@code 2x+2} its return; entry 0 is the list's head. */
  private void link() {
    int m = p.okCount;
    long[] order = new long[2 * m];
    for (int x = 0; x < m; x++) {
      order[2 * x] = ((long) p.callPos[x] << 32) | (2 * x + 1);
      order[2 * x + 1] = ((long) p.retPos[x] << 32) | (2 * x + 2);
    }
    Arrays.sort(order);
    int last = 0;
    prev[0] = NIL;
    for (long o : order) {
      int e = (int) o;
      pos[e] = (int) (o >>> 32);
      next[last] = e;
      prev[e] = last;
      last = e;
    }
    next[last] = NIL;
  }

  /** Runs the search; throws {@link BoundReached} past the budget. */
  SearchOutcome run() {
    try {
      return search();
    } finally {
      memo.free();
    }
  }

  private SearchOutcome search() {
    int n = p.size();
    int[] taken = new int[p.classes.length];
    int[] stackOp = new int[n + 1];
    int[] stackState = new int[n + 1];
    int[] stackClass = new int[n + 1];
    candFrom = new int[n + 2];
    candNext = new int[n + 2];
    candTo = new int[n + 2];
    stuckAt = new int[n + 2];
    limitAt = new int[n + 2];
    int depth = 0;
    int state = p.initState;
    long h1 = 0;
    long h2 = 0;
    int okLeft = p.okCount;
    long steps = 0;
    if (okLeft == 0) {
      return SearchOutcome.valid(memo.size());
    }
    candidates(0, state, -1, taken);
    while (true) {
      if (++steps % POLL_EVERY_STEPS == 0) {
        budget.poll();
      }
      if (candNext[depth] < candTo[depth]) {
        int cand = buffer[candNext[depth]++];
        int c = cand >= 0 ? -1 : -cand - 1;
        int x = c < 0 ? cand : p.classes[c][taken[c]];
        int ns = step(state, x);
        if (ns < 0 || strands(x, state, ns, limitAt[depth])) {
          continue;
        }
        long n1 = h1 ^ z1[x];
        long n2 = h2 ^ z2[x];
        if (c >= 0) {
          taken[c]++;
        }
        boolean fresh = !dominated(n1, n2, ns, taken) && memo.add(n1 ^ mix(ns, SALT1), n2 ^ mix(ns, SALT2));
        if (c >= 0) {
          taken[c]--;
        }
        if (!fresh) {
          continue;
        }
        stackOp[depth] = x;
        stackState[depth] = state;
        stackClass[depth] = c;
        depth++;
        account(x, -1);
        state = ns;
        h1 ^= z1[x];
        h2 ^= z2[x];
        if (c < 0) {
          lift(x);
          if (--okLeft == 0) {
            return SearchOutcome.valid(memo.size());
          }
        } else {
          taken[c]++;
        }
        candidates(depth, state, c < 0 ? -1 : stackState[depth - 1], taken);
        continue;
      }
      noteStuck(stuckAt[depth], state, stackOp, depth);
      if (depth == 0) {
        return SearchOutcome.invalid(bestOp, bestStates, bestPath, memo.size());
      }
      depth--;
      int x = stackOp[depth];
      account(x, 1);
      state = stackState[depth];
      h1 ^= z1[x];
      h2 ^= z2[x];
      if (stackClass[depth] < 0) {
        unlift(x);
        okLeft++;
      } else {
        taken[stackClass[depth]]--;
      }
      bufferTop = candFrom[depth + 1];
    }
  }

  private static final long SALT1 = 0x9E3779B97F4A7C15L;
  private static final long SALT2 = 0xC2B2AE3D27D4EB4FL;
  private static final int BUFFER_INITIAL = 1 << 10;

  private int[] candFrom;
  private int[] candNext;
  private int[] candTo;
  private int[] stuckAt;
  private int[] limitAt;
  private int[] buffer;
  private int[] scratch = new int[0];
  private int bufferTop;
  private int[] bestOfEffect;
  private final boolean madeStates;
  /** {@code wanted[s] == stamp}: some op callable at this node can only happen in state s. */
  private final boolean explaining;
  private final int[] wanted;
  /** Per state: the calls that leave it, by invocation, with a Fenwick tree of those not linearized. */
  private int[][] producersOf;
  private int[][] producerTree;
  private int[] producerRank;
  /** Per state: the completed calls that need it, by return. */
  private int[][] consumersOf;
  private boolean[] done;
  private int stamp;
  private int[] touched;

  /**
   * Lists the choices at one node of the search into the buffer: the completed calls invoked before
   * the first remaining return (of calls with the same effect, only the one that must return first:
   * any linearization taking another first can swap them), then the earliest untaken crashed call of
   * each class invoked before that return whose effect no completed candidate already offers. A read
   * that fits the state is the only choice: it changes nothing, so if any order works, one takes it
   * now.
   */
  private void candidates(int depth, int state, int before, int[] taken) {
    if (bestOfEffect == null) {
      bestOfEffect = new int[p.effects];
      Arrays.fill(bestOfEffect, -1);
      touched = new int[p.effects];
    }
    int touchedCount = 0;
    int e = next[0];
    int read = -1;
    while ((e & 1) == 1) {
      int x = e >> 1;
      int ef = p.effect[x];
      int best = bestOfEffect[ef];
      if (best < 0) {
        bestOfEffect[ef] = x;
        touched[touchedCount++] = ef;
      } else if (p.retPos[x] < p.retPos[best]) {
        bestOfEffect[ef] = x;
      }
      if (read < 0 && p.pure(x) && step(state, x) >= 0) {
        read = x;
      }
      e = next[e];
    }
    stuckAt[depth] = (e - 2) >> 1;
    int limit = pos[e];
    limitAt[depth] = limit;
    candFrom[depth] = bufferTop;
    candNext[depth] = bufferTop;
    if (read >= 0) {
      push(read);
    } else {
      boolean chained = before >= 0 && !madeStates;
      int first = bufferTop;
      stamp++;
      for (int i = 0; i < touchedCount; i++) {
        int z = bestOfEffect[touched[i]];
        want(z);
        if (!chained || step(before, z) < 0) {
          push(z);
        }
      }
      sortByReturn(first, bufferTop);
      int[][] classes = p.classes;
      for (int c = 0; c < classes.length; c++) {
        if (taken[c] < classes[c].length && p.callPos[classes[c][taken[c]]] < limit) {
          want(classes[c][taken[c]]);
        }
      }
      for (int c = 0; c < classes.length; c++) {
        if (taken[c] == classes[c].length || bestOfEffect[p.classEffect[c]] >= 0) {
          continue;
        }
        int y = classes[c][taken[c]];
        if (p.callPos[y] > limit) {
          continue;
        }
        int ns = step(state, y);
        if (ns < 0 || ns == state) {
          continue;
        }
        if (!madeStates && (wanted[ns] != stamp || (chained && step(before, y) >= 0))) {
          continue;
        }
        push(-c - 1);
      }
      enablersFirst(candFrom[depth], bufferTop, state, stuckAt[depth]);
    }
    for (int i = 0; i < touchedCount; i++) {
      bestOfEffect[touched[i]] = -1;
    }
    candTo[depth] = bufferTop;
  }

  /** Insertion sort of ok candidates by return position: the call due first is tried first. */
  private void sortByReturn(int from, int to) {
    for (int i = from + 1; i < to; i++) {
      int x = buffer[i];
      int r = p.retPos[x];
      int j = i - 1;
      while (j >= from && p.retPos[buffer[j]] > r) {
        buffer[j + 1] = buffer[j];
        j--;
      }
      buffer[j + 1] = x;
    }
  }

  /**
   * When the call due first cannot happen in the current state, tries first the choices that lead
   * to the state it needs (a stable partition of the choices; only the order of the search changes).
   */
  private void enablersFirst(int from, int to, int state, int due) {
    if (madeStates || due < 0 || step(state, due) >= 0) {
      return;
    }
    int needed = neededState(due);
    if (needed < 0) {
      return;
    }
    if (scratch.length < to - from) {
      scratch = new int[Math.max(to - from, scratch.length * 2)];
    }
    int front = from;
    int back = 0;
    for (int i = from; i < to; i++) {
      int cand = buffer[i];
      int x = cand >= 0 ? cand : p.classes[-cand - 1][0];
      if (p.kind[x] != KeyProblem.K_READ && step(state, x) == needed) {
        buffer[front++] = cand;
      } else {
        scratch[back++] = cand;
      }
    }
    System.arraycopy(scratch, 0, buffer, front, back);
  }

  private int neededState(int z) {
    return switch (p.kind[z]) {
      case KeyProblem.K_READ, KeyProblem.K_CAS -> p.a[z];
      case KeyProblem.K_ACQUIRE -> 0;
      case KeyProblem.K_RELEASE -> 1;
      default -> -1;
    };
  }

  /** Marks the one state in which op z can happen, when z observes the state at all. */
  private void want(int z) {
    if (madeStates) {
      return;
    }
    int needed = neededState(z);
    if (needed >= 0) {
      wanted[needed] = stamp;
    }
  }

  private void push(int candidate) {
    if (bufferTop == buffer.length) {
      budget.reserve((long) buffer.length * Integer.BYTES);
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    buffer[bufferTop++] = candidate;
  }

  /**
   * Whether taking x, which moves the state away from {@code state}, strands it: the completed call
   * due first among those still needing {@code state} could only happen after some call brings the
   * state back, and no call that would is left with an invocation before that call's return.
   */
  private boolean strands(int x, int state, int ns, int limit) {
    if (madeStates || explaining || ns == state) {
      return false;
    }
    int c = firstConsumerLeft(state, x, limit);
    return c >= 0 && !producerInvokedBefore(state, p.retPos[c]);
  }

  /**
   * The completed call other than x that needs {@code state} and is due first, or -1. Every
   * completed call due before {@code limit} is linearized already, so the scan starts there.
   */
  private int firstConsumerLeft(int state, int x, int limit) {
    int[] consumers = consumersOf[state];
    int lo = 0;
    int hi = consumers.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (p.retPos[consumers[mid]] < limit) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (int i = lo; i < consumers.length; i++) {
      int c = consumers[i];
      if (!done[c] && c != x) {
        return c;
      }
    }
    return -1;
  }

  /** Whether some call not yet linearized that leaves {@code state} was invoked before {@code pos}. */
  private boolean producerInvokedBefore(int state, int pos) {
    int[] producers = producersOf[state];
    int lo = 0;
    int hi = producers.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (p.callPos[producers[mid]] < pos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int[] tree = producerTree[state];
    int sum = 0;
    for (int i = lo; i > 0; i -= i & -i) {
      sum += tree[i];
    }
    return sum > 0;
  }

  /** Counts op x out of ({@code -1}) or back into ({@code +1}) the calls not yet linearized. */
  private void account(int x, int delta) {
    if (madeStates) {
      return;
    }
    done[x] = delta < 0;
    int produced = producedState(x);
    if (produced >= 0) {
      int[] tree = producerTree[produced];
      for (int i = producerRank[x] + 1; i < tree.length; i += i & -i) {
        tree[i] += delta;
      }
    }
  }

  /** Indexes, per state, the calls that leave it (by invocation) and the completed calls that need it (by return). */
  private void indexProducersAndConsumers() {
    int n = p.size();
    producerRank = new int[n];
    done = new boolean[n];
    producersOf = byState(n, true);
    consumersOf = byState(n, false);
    producerTree = new int[producersOf.length][];
    for (int v = 0; v < producersOf.length; v++) {
      producerTree[v] = new int[producersOf[v].length + 1];
      for (int i = 0; i < producersOf[v].length; i++) {
        producerRank[producersOf[v][i]] = i;
      }
    }
  }

  /** Per state, the producers sorted by invocation or the completed consumers sorted by return. */
  private int[][] byState(int n, boolean producers) {
    int states = wanted.length;
    int[] count = new int[states];
    for (int x = 0; x < n; x++) {
      int v = producers ? producedState(x) : x < p.okCount ? neededState(x) : -1;
      if (v >= 0) {
        count[v]++;
      }
    }
    long[][] keyed = new long[states][];
    for (int v = 0; v < states; v++) {
      keyed[v] = new long[count[v]];
      count[v] = 0;
    }
    for (int x = 0; x < n; x++) {
      int v = producers ? producedState(x) : x < p.okCount ? neededState(x) : -1;
      if (v >= 0) {
        long at = producers ? p.callPos[x] : p.retPos[x];
        keyed[v][count[v]++] = (at << 32) | x;
      }
    }
    int[][] out = new int[states][];
    for (int v = 0; v < states; v++) {
      Arrays.sort(keyed[v]);
      out[v] = new int[keyed[v].length];
      for (int i = 0; i < out[v].length; i++) {
        out[v][i] = (int) keyed[v][i];
      }
    }
    return out;
  }

  /** The state op x always leaves behind, or -1 for a read. */
  private int producedState(int x) {
    return switch (p.kind[x]) {
      case KeyProblem.K_WRITE -> p.a[x];
      case KeyProblem.K_CAS -> p.b[x];
      case KeyProblem.K_ACQUIRE -> 1;
      case KeyProblem.K_RELEASE -> 0;
      default -> -1;
    };
  }

  /**
   * Whether the search already tried the same state and completed calls with one crashed call
   * fewer taken. TRICKY: that configuration can do everything this one can (the crashed call is
   * still available to it, at any later moment), so if it failed, this one fails too. It cannot be
   * an ancestor on the stack: the parent has the other state, since a crashed call that keeps the
   * state is never taken.
   */
  private boolean dominated(long n1, long n2, int ns, int[] taken) {
    int[][] classes = p.classes;
    int checks = 0;
    for (int c = 0; c < classes.length && checks < DOMINANCE_CHECKS_MAX; c++) {
      if (taken[c] == 0) {
        continue;
      }
      checks++;
      int y = classes[c][taken[c] - 1];
      if (memo.contains(n1 ^ z1[y] ^ mix(ns, SALT1), n2 ^ z2[y] ^ mix(ns, SALT2))) {
        return true;
      }
    }
    return false;
  }

  private int step(int state, int x) {
    int a = p.a[x];
    switch (p.kind[x]) {
      case KeyProblem.K_READ:
        return a == KeyProblem.ANY || a == state ? state : -1;
      case KeyProblem.K_WRITE:
        return a;
      case KeyProblem.K_CAS:
        return state == a ? p.b[x] : -1;
      case KeyProblem.K_APPEND:
        return p.trie.child(state, a);
      case KeyProblem.K_ACQUIRE:
        return state == 0 ? 1 : -1;
      case KeyProblem.K_RELEASE:
        return state == 1 ? 0 : -1;
      case KeyProblem.K_TXN:
        return p.registerMaps.apply(state, a);
      case KeyProblem.K_STRING_APPEND:
        return p.strings.append(state, a);
      default:
        throw new IllegalStateException("op kind " + p.kind[x]);
    }
  }

  private void lift(int x) {
    int call = 2 * x + 1;
    int ret = call + 1;
    next[prev[call]] = next[call];
    if (next[call] != NIL) {
      prev[next[call]] = prev[call];
    }
    next[prev[ret]] = next[ret];
    if (next[ret] != NIL) {
      prev[next[ret]] = prev[ret];
    }
  }

  private void unlift(int x) {
    int call = 2 * x + 1;
    int ret = call + 1;
    if (next[ret] != NIL) {
      prev[next[ret]] = ret;
    }
    next[prev[ret]] = ret;
    if (next[call] != NIL) {
      prev[next[call]] = call;
    }
    next[prev[call]] = call;
  }

  /** Remembers the completed call whose return the search got furthest without passing. */
  private void noteStuck(int op, int state, int[] stackOp, int depth) {
    if (op < 0) {
      return;
    }
    int at = p.retPos[op];
    if (at > bestPos) {
      bestPos = at;
      bestOp = op;
      bestStates = new int[] {state};
      int from = Math.max(0, depth - PATH_SHOWN_MAX);
      bestPath = Arrays.copyOfRange(stackOp, from, depth);
    } else if (at == bestPos && bestStates.length < STATES_SHOWN_MAX) {
      for (int s : bestStates) {
        if (s == state) {
          return;
        }
      }
      bestStates = Arrays.copyOf(bestStates, bestStates.length + 1);
      bestStates[bestStates.length - 1] = state;
    }
  }

  /** SplitMix64's output for counter {@code i}: independent-looking 64-bit keys, one per op. */
  private static long splitMix(long i) {
    long z = i * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static long mix(int state, long salt) {
    long z = (state + 1L) * salt;
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
