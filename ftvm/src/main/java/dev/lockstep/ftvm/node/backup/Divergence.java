package dev.lockstep.ftvm.node.backup;

/** The backup's execution differs from the primary's log: the node stops, naming where. */
final class Divergence extends RuntimeException {
  Divergence(String message) {
    super(message, null, false, false);
  }
}
