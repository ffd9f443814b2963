package dev.lockstep.checkers.linear;

import dev.lockstep.histories.Op;

/**
 * One client operation: its invocation and completion paired by process. {@code completion} is null
 * for an invocation that never completed; such a call and one completed with {@code info} are
 * {@code crashed}: they may take effect at any moment after the invocation, or never.
 * {@code invokePos} and {@code completionPos} are positions in the ordered history.
 */
public record Call(
    Op invoke, Op completion, int invokePos, int completionPos, OpKind kind, Object key, Object value, boolean crashed) {

  /** The completion's position, or past the end for a crashed call. */
  public int endPos() {
    return crashed ? Integer.MAX_VALUE : completionPos;
  }
}
