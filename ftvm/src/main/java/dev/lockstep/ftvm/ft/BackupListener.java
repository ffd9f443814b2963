package dev.lockstep.ftvm.ft;

import java.util.List;

/**
 * What the backup's driver hears from its logging channel. Called on the channel's I/O thread, in the
 * order the primary sent them: return quickly (hand work to a bounded queue), never block.
 */
public interface BackupListener {
  /** A complete snapshot of the primary at {@code icount}; entries that follow continue from it. */
  void snapshot(long icount, byte[] snapshot);

  /** Consecutive entries (seq follows the previous batch's last seq on this connection). */
  void entries(List<LogEntry> entries);

  /** The primary vouches that no entry below {@code icount} is still to come. */
  void progress(long icount);

  /** The channel is gone: closed, refused, corrupt, wrong cluster or epoch, or silent beyond the timeout. Called once. */
  void primaryLost(String reason);
}
