package dev.lockstep.ftvm.ft;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Listeners that record what they hear, for assertions. */
final class Recorders {
  private Recorders() {}

  static class Primary implements PrimaryListener {
    final List<String> connected = new CopyOnWriteArrayList<>();
    final List<long[]> acks = new CopyOnWriteArrayList<>();
    final List<String> lost = new CopyOnWriteArrayList<>();
    volatile BackupLink link;

    @Override
    public void backupConnected(BackupLink l, String backupNodeId) {
      link = l;
      connected.add(backupNodeId);
    }

    @Override
    public void acked(long seq, long executedIcount) {
      acks.add(new long[] {seq, executedIcount});
    }

    @Override
    public void backupLost(String reason) {
      lost.add(reason);
    }
  }

  static class Backup implements BackupListener {
    final List<LogEntry> entries = new CopyOnWriteArrayList<>();
    final List<Long> progress = new CopyOnWriteArrayList<>();
    final List<byte[]> snapshots = new CopyOnWriteArrayList<>();
    final List<Long> snapshotIcounts = new CopyOnWriteArrayList<>();
    final List<String> lost = new CopyOnWriteArrayList<>();

    @Override
    public void snapshot(long icount, byte[] snapshot) {
      snapshotIcounts.add(icount);
      snapshots.add(snapshot);
    }

    @Override
    public void entries(List<LogEntry> batch) {
      entries.addAll(batch);
    }

    @Override
    public void progress(long icount) {
      progress.add(icount);
    }

    @Override
    public void primaryLost(String reason) {
      lost.add(reason);
    }
  }
}
