package dev.lockstep.checkers.linear;

/** The search hit its deadline, its memo budget, or was cancelled: the verdict is unknown. */
final class BoundReached extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BoundReached(String reason) {
    super(reason, null, false, false);
  }
}
