package dev.lockstep.harness.runner;

/** The cluster could not be started or did not become ready within its bound. */
public final class ClusterException extends Exception {

  public ClusterException(String message) {
    super(message);
  }

  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
