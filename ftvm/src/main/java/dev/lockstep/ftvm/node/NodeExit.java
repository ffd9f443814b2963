package dev.lockstep.ftvm.node;

/** Exit codes of the node process; the harness tells a planted halt from a crash by them. */
public final class NodeExit {
  /** A clean shutdown (also the backup of a primary that shut down cleanly). */
  public static final int CLEAN = 0;
  /** The guest halted; its own exit code is logged. */
  public static final int GUEST_HALTED = 10;
  /** Lost the go-live test-and-set: another node is live, so this one halts. */
  public static final int LOST_GOLIVE = 11;
  /** This node's ZooKeeper session was lost and, once back, its epoch had moved on: demoted. */
  public static final int ZK_SESSION_LOST = 12;
  /** The backup's replay diverged from the primary's log. */
  public static final int DIVERGED = 13;
  /** A newer epoch exists: this node belongs to a finished epoch. */
  public static final int STALE_EPOCH = 14;
  /** Could not join the cluster (no snapshot, ZooKeeper down at start past the bound). */
  public static final int JOIN_FAILED = 15;
  /** A port of this node is taken by another process (or not bindable): see the logged address. */
  public static final int PORT_UNAVAILABLE = 16;
  /**
   * The event log reached its size bound: the node can no longer record what it does, so it stops as
   * a crash would (a backup takes over).
   */
  public static final int EVENT_LOG_FULL = 17;
  /**
   * ZooKeeper refused this node the rights to one of the cluster's znodes: its secret is not the
   * cluster's. The log line names the path.
   */
  public static final int ZK_ACCESS_DENIED = 18;
  /** An unexpected internal error. */
  public static final int INTERNAL = 70;
  /** Bad arguments or unreadable input. */
  public static final int USAGE = 254;

  private NodeExit() {}
}
