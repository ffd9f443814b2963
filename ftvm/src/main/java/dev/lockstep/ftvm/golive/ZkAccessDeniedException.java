package dev.lockstep.ftvm.golive;

/**
 * ZooKeeper refused this session the rights to one of the cluster's znodes: the node's credential is not
 * the cluster's (another secret), or someone else holds the cluster's path. Waiting does not help, so the
 * node stops; the message names the path.
 */
public final class ZkAccessDeniedException extends RuntimeException {
  private final String path;

  public ZkAccessDeniedException(String path, String message, Throwable cause) {
    super(message, cause);
    this.path = path;
  }

  /** The znode the session was refused. */
  public String path() {
    return path;
  }
}
