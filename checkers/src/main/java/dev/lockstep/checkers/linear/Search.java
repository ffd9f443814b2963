package dev.lockstep.checkers.linear;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The Wing &amp; Gong / Lowe search over one key. Completed calls sit in a doubly linked list of
 * call and return entries in history order; the search linearizes a call whose call entry comes
 * before the first remaining return entry, lifting both entries out, and backtracks when it meets
 * a return entry it cannot pass. Crashed calls are not in the list: they have no return, so at each
 * return entry the search may also take one of them invoked earlier, and it succeeds as soon as
 * every completed call is linearized (crashed calls left over never happened).
 *
 * <p>Every configuration (model state, linearized set) is tried once: its 128-bit Zobrist
 * fingerprint goes into a {@link Memo}. A read that fits the current state is never a choice worth
 * undoing: it changes no state anywhere, so if a linearization exists, one takes that read now, and
 * backtracking pops past it.
 */
final class Search {
  private static final int NIL = -1;
  private static final int POLL_EVERY_STEPS = 1 << 10;
  private static final int STATES_SHOWN_MAX = 8;
  private static final int PATH_SHOWN_MAX = 12;
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
    this.p = problem;
    this.budget = budget;
    this.memo = new Memo(budget);
    int n = problem.size();
    z1 = new long[n];
    z2 = new long[n];
    SplittableRandom random = new SplittableRandom(ZOBRIST_SEED);
    for (int x = 0; x < n; x++) {
      z1[x] = random.nextLong();
      z2[x] = random.nextLong();
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
    final int n = p.size();
    final int[][] classes = p.classes;
    final int[] taken = new int[classes.length];
    final int[] stackOp = new int[n];
    final int[] stackState = new int[n];
    final int[] stackEntry = new int[n];
    final int[] stackClass = new int[n];
    int depth = 0;
    int state = p.initState;
    long h1 = 0;
    long h2 = 0;
    int okLeft = p.okCount;
    int entry = next[0];
    int classFrom = 0;
    long steps = 0;
    while (true) {
      if (okLeft == 0) {
        return SearchOutcome.valid(memo.size());
      }
      if (++steps % POLL_EVERY_STEPS == 0) {
        budget.poll();
      }
      if ((entry & 1) == 1) {
        int x = entry >> 1;
        int ns = step(state, x);
        if (ns >= 0 && memo.add(h1 ^ z1[x] ^ mix(ns, 0x9E3779B97F4A7C15L), h2 ^ z2[x] ^ mix(ns, 0xC2B2AE3D27D4EB4FL))) {
          stackOp[depth] = x;
          stackState[depth] = state;
          stackClass[depth] = -1;
          depth++;
          state = ns;
          h1 ^= z1[x];
          h2 ^= z2[x];
          lift(x);
          okLeft--;
          entry = next[0];
          classFrom = 0;
        } else {
          entry = next[entry];
        }
        continue;
      }
      int limit = pos[entry];
      int chosen = -1;
      for (int c = classFrom; c < classes.length && chosen < 0; c++) {
        int[] members = classes[c];
        if (taken[c] == members.length) {
          continue;
        }
        int y = members[taken[c]];
        if (p.callPos[y] > limit) {
          continue;
        }
        int ns = step(state, y);
        if (ns >= 0 && memo.add(h1 ^ z1[y] ^ mix(ns, 0x9E3779B97F4A7C15L), h2 ^ z2[y] ^ mix(ns, 0xC2B2AE3D27D4EB4FL))) {
          stackOp[depth] = y;
          stackState[depth] = state;
          stackClass[depth] = c;
          stackEntry[depth] = entry;
          depth++;
          state = ns;
          h1 ^= z1[y];
          h2 ^= z2[y];
          taken[c]++;
          chosen = y;
        }
      }
      if (chosen >= 0) {
        entry = next[0];
        classFrom = 0;
        continue;
      }
      noteStuck((entry - 2) >> 1, state, stackOp, depth);
      // Backtrack; a read's frame is popped too (see the class comment).
      while (true) {
        if (depth == 0) {
          return SearchOutcome.invalid(bestOp, bestStates, bestPath, memo.size());
        }
        depth--;
        int x = stackOp[depth];
        boolean read = p.kind[x] == KeyProblem.K_READ;
        state = stackState[depth];
        h1 ^= z1[x];
        h2 ^= z2[x];
        int c = stackClass[depth];
        if (c < 0) {
          unlift(x);
          okLeft++;
          entry = next[2 * x + 1];
          classFrom = 0;
        } else {
          taken[c]--;
          entry = stackEntry[depth];
          classFrom = c + 1;
        }
        if (!read) {
          break;
        }
      }
    }
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

  private static long mix(int state, long salt) {
    long z = (state + 1L) * salt;
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
