package dev.lockstep.ftvm.client;

import java.util.Optional;

/**
 * The outcome of one {@link FtClient#call}, three-valued as in Jepsen: ok (it happened, with this reply),
 * fail (it certainly did not happen) or info (unknown: it may or may not have happened).
 */
public sealed interface Result {
  /** The operation took effect; the reply says how. */
  record Ok(Reply reply) implements Result {}

  /** The operation certainly did not take effect: the guest said so (reply present), or it was never sent. */
  record Fail(Optional<Reply> reply, String reason) implements Result {}

  /** The request may have reached a primary and no reply came in time: unknown. */
  record Info(String reason) implements Result {}
}
