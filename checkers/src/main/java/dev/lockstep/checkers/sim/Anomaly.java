package dev.lockstep.checkers.sim;

/** A fault a simulated store can inject once; each makes the history non-linearizable for sure. */
public enum Anomaly {
  NONE,
  /** A read returns the value before a write that completed before the read was invoked. */
  STALE_READ,
  /** A write is acknowledged but never applied, and a read that follows it sees the old value. */
  LOST_WRITE,
  /** An append takes effect twice. */
  DUPLICATE_APPEND
}
