package dev.lockstep.ftvm.ft;

/**
 * The one backup a primary serves at a time, and the epoch it must be of. TRICKY: a backup whose
 * handshake finishes just as the primary moves to a new epoch must not slip in under the old one, so the
 * epoch check and the claim are one step.
 */
final class BackupSlot {
  private LogServerHandler current;
  private long epoch;

  BackupSlot(long epoch) {
    this.epoch = epoch;
  }

  /** Why {@code h} cannot be the backup, or null when it now is. */
  synchronized String claim(LogServerHandler h, long handlerEpoch) {
    if (handlerEpoch != epoch) {
      return "epoch advanced to " + epoch;
    }
    if (current != null) {
      return "backup '" + current.backupNodeId() + "' is already connected";
    }
    current = h;
    return null;
  }

  synchronized void release(LogServerHandler h) {
    if (current == h) {
      current = null;
    }
  }

  /** Moves to {@code newEpoch} and returns the backup of the old epoch, if any, for the caller to close. */
  synchronized LogServerHandler advance(long newEpoch) {
    epoch = newEpoch;
    return current;
  }
}
