package dev.lockstep.checkers.linear;

/**
 * How one key's search ended. For an invalid key: the completed op whose return could not be
 * passed, the model states the search had reached just before it, and the last ops linearized on
 * the way there (op ids of the {@link KeyProblem}).
 */
record SearchOutcome(boolean valid, int stuckOp, int[] states, int[] path, int memoEntries) {

  static SearchOutcome valid(int memoEntries) {
    return new SearchOutcome(true, -1, new int[0], new int[0], memoEntries);
  }

  static SearchOutcome invalid(int op, int[] states, int[] path, int memoEntries) {
    return new SearchOutcome(false, op, states, path, memoEntries);
  }
}
