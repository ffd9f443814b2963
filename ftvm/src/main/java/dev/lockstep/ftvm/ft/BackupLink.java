package dev.lockstep.ftvm.ft;

import java.util.List;

/** The primary's handle on its connected backup. Thread-safe; sends keep the order of calls from one thread. */
public interface BackupLink {
  /** Sends a snapshot taken at {@code icount}, cut into chunk frames of {@link ChannelSettings#snapshotChunkBytes()}. */
  void sendSnapshot(long icount, byte[] snapshot);

  /**
   * Sends consecutive entries, in as few batch frames as {@link ChannelSettings#batchBytesMax()} allows.
   *
   * @throws IllegalArgumentException when seqs are not consecutive with each other and with the last sent entry
   */
  void sendEntries(List<LogEntry> entries);

  /** Tells the backup no entry below {@code icount} is still to come; also serves as a heartbeat. */
  void sendProgress(long icount);

  /**
   * Sends {@code entries} (possibly none) as {@link #sendEntries} does, then, when
   * {@code progressIcount} is not negative, a progress marker at it: all of it in one write.
   */
  default void send(List<LogEntry> entries, long progressIcount) {
    if (!entries.isEmpty()) {
      sendEntries(entries);
    }
    if (progressIcount >= 0) {
      sendProgress(progressIcount);
    }
  }

  /** False while the outbound buffer is above its bound: the primary should stall until it turns true. */
  boolean writable();

  /** Sends the reason to the backup and closes; {@link PrimaryListener#backupLost} follows. */
  void close(String reason);
}
