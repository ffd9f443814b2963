package dev.lockstep.ftvm.node;

import dev.lockstep.ftvm.ft.BackupLink;
import dev.lockstep.ftvm.ft.LogEntry;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The primary's side of the log: numbers every recorded event, writes it to the replay log and, while
 * a backup is attached, batches it for the logging channel. Entries the backup has not acked count
 * against a bounded log buffer; when it is full (or the channel is not writable) the primary stalls.
 *
 * <p>Sequence numbers are global to the node ({@code seq}); the channel numbers entries from 1 after
 * each snapshot ({@code seq - base}), so a new backup's acks map back by adding the base.
 */
final class LogStream {

  /** Entries sent in one batch frame at most. */
  static final int BATCH_ENTRIES_MAX = 256;
  /** Bytes of entries sent and not yet acked before the primary stalls. */
  static final long LOG_BUFFER_BYTES_MAX = 8L << 20;
  /** Bookkeeping bytes an entry costs on top of its payload. */
  static final int ENTRY_OVERHEAD_BYTES = 24;

  private record Unacked(long seq, long bytes) {}

  private final EventSink replayLog;
  private final List<LogEntry> batch = new ArrayList<>();
  private final ArrayDeque<Unacked> unacked = new ArrayDeque<>();
  private BackupLink link;
  private long base;
  private long seq;
  private long unackedBytes;
  private long progressSent = -1;
  private long bytesSent;
  private long entriesSent;

  LogStream(EventSink replayLog) {
    this.replayLog = replayLog;
  }

  /** Records one event; returns its global sequence number. */
  synchronized long append(Event e) {
    seq++;
    replayLog.append(e);
    if (link != null) {
      batch.add(new LogEntry(seq - base, e));
      long bytes = e.payload().length + ENTRY_OVERHEAD_BYTES;
      unacked.addLast(new Unacked(seq, bytes));
      unackedBytes += bytes;
      if (batch.size() >= BATCH_ENTRIES_MAX) {
        sendBatch();
      }
    }
    return seq;
  }

  /** Sends what is batched and vouches that nothing more below {@code icount} is to come. */
  synchronized void flush(long icount) {
    if (link == null) {
      return;
    }
    sendBatch();
    if (icount > progressSent) {
      link.sendProgress(icount);
      progressSent = icount;
    }
  }

  private void sendBatch() {
    if (!batch.isEmpty()) {
      link.sendEntries(List.copyOf(batch));
      entriesSent += batch.size();
      for (LogEntry le : batch) {
        bytesSent += le.event().payload().length + ENTRY_OVERHEAD_BYTES;
      }
      batch.clear();
    }
  }

  /** Attaches a new backup whose snapshot covers every entry so far. */
  synchronized void attach(BackupLink l) {
    link = l;
    base = seq;
    batch.clear();
    unacked.clear();
    unackedBytes = 0;
    progressSent = -1;
  }

  /** Forgets the backup (it was lost); entries go only to the replay log from now on. */
  synchronized void detach(BackupLink l) {
    if (link == l || l == null) {
      link = null;
      batch.clear();
      unacked.clear();
      unackedBytes = 0;
    }
  }

  synchronized boolean attached() {
    return link != null;
  }

  synchronized BackupLink link() {
    return link;
  }

  /** The backup acked channel entry {@code channelSeq}; returns the global seq it stands for. */
  synchronized long acked(long channelSeq) {
    long global = base + channelSeq;
    while (!unacked.isEmpty() && unacked.peekFirst().seq() <= global) {
      unackedBytes -= unacked.removeFirst().bytes();
    }
    return global;
  }

  /** True when the primary must stall: the log buffer is full or the channel pushes back. */
  synchronized boolean full() {
    return link != null && (unackedBytes >= LOG_BUFFER_BYTES_MAX || !link.writable());
  }

  synchronized long seq() {
    return seq;
  }

  synchronized long bytesSent() {
    return bytesSent;
  }

  synchronized long entriesSent() {
    return entriesSent;
  }
}
