package dev.lockstep.ftvm.golive;

/** ZooKeeper could not be reached within the bound, so no decision was made; the caller waits and retries. */
public final class ZkUnavailableException extends Exception {
  public ZkUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
