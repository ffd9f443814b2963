package dev.lockstep.checkers.linear;

/** The history cannot be checked as it is: a completion without an invocation, an unknown f... */
public final class HistoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HistoryException(String message) {
    super(message);
  }
}
