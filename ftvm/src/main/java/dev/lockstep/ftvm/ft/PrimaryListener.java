package dev.lockstep.ftvm.ft;

/**
 * What the primary's driver hears from its logging channel. Called on the channel's I/O thread: return
 * quickly (hand work to a bounded queue), never block.
 */
public interface PrimaryListener {
  /** A backup passed the handshake and is the one backup of this server until {@link #backupLost}. */
  void backupConnected(BackupLink link, String backupNodeId);

  /** The backup has stored every entry up to {@code seq} and executed up to {@code executedIcount}. */
  void acked(long seq, long executedIcount);

  /** The connected backup is gone: closed, sent a bad frame, or was silent beyond the failure timeout. Called once per link. */
  void backupLost(String reason);
}
