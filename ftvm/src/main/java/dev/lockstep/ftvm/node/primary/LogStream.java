package dev.lockstep.ftvm.node.primary;

import dev.lockstep.ftvm.ft.BackupLink;
import dev.lockstep.ftvm.ft.LogEntry;
import dev.lockstep.ftvm.node.records.ReplayLogSink;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventSink;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The primary's side of the log: numbers every recorded event, writes it to the replay log and, while
 * a backup is attached, batches it for the logging channel. Entries the backup has not acked count
 * against a bounded log buffer; when it is full (or the channel is not writable) the primary stalls.
 *
 * <p>Group commit: one batch is in flight at a time; what is logged meanwhile leaves as the ack
 * arrives (or after {@link #HOLD_NANOS_MAX}), so under load one frame and one ack carry the entries
 * of many requests. While the primary has a backlog of requests (it is saturated, and a request's
 * time goes to queueing, not to the channel) a batch also waits to ripen: until it holds
 * {@link #RIPE_ENTRIES} entries or its oldest is {@link #RIPE_NANOS} old. Fewer, fuller frames
 * cost the primary fewer sends, acks and release bursts per request; without a backlog a batch
 * leaves at once, so the output rule adds no wait to a lightly loaded primary.
 *
 * <p>Every send happens on one thread, the logging channel's event loop; in a node that is the
 * recording thread itself, which runs the loop ({@link PrimaryDriver}), so a send asked for there
 * goes out at once, as does the next batch when an ack comes in. From any other thread a send is
 * handed to the loop. TRICKY: a write from the loop's own thread goes out at once while a
 * write from another thread waits in the loop's queue, so sending from two threads would reorder
 * batches on the wire.
 *
 * <p>Sequence numbers are global to the node ({@code seq}); the channel numbers entries from 1 after
 * each snapshot ({@code seq - base}), so a new backup's acks map back by adding the base.
 */
public final class LogStream {

  /** Entries sent in one batch frame at most. */
  static final int BATCH_ENTRIES_MAX = 256;
  /** Bytes of entries sent and not yet acked before the primary stalls. */
  static final long LOG_BUFFER_BYTES_MAX = 8L << 20;
  /** Bookkeeping bytes an entry costs on top of its payload. */
  static final int ENTRY_OVERHEAD_BYTES = 24;
  /**
   * Shortest time between two progress markers. Entries vouch for their own icount, so a marker only
   * lets the backup run on between entries; one per slice would cost a frame, a wake-up and a read on
   * both sides for every slice.
   */
  static final long PROGRESS_INTERVAL_NANOS = 500_000;
  /** Longest time entries wait for the batch in flight to be acked before they are sent anyway. */
  static final long HOLD_NANOS_MAX = 1_000_000;
  /** Entries that make a batch ripe while the primary has a backlog. */
  static final int RIPE_ENTRIES = 192;
  /** Age of its oldest entry that makes a batch ripe while the primary has a backlog. */
  static final long RIPE_NANOS = 500_000;

  private static final long NO_ICOUNT = Long.MIN_VALUE;
  /** First size of the ring of unacked entries' byte sums (a power of two). */
  private static final int UNACKED_RING_MIN = 4096;

  private final EventSink replayLog;
  private final LongSupplier monoNanos;
  private final EventExecutor loop;
  private final List<LogEntry> batch = new ArrayList<>();
  private BooleanSupplier backlog = () -> false;
  /**
   * Bytes of every entry appended since the backup attached, summed through each unacked seq: a ring
   * indexed by seq, grown as needed, over seqs {@code ackedSeq + 1 .. seq}.
   */
  private long[] bytesThrough = new long[UNACKED_RING_MIN];
  /** The highest global seq the backup acked (or the snapshot covered). */
  private long ackedSeq;
  private long appendedBytes;
  private long ackedBytes;
  private BackupLink link;
  private long base;
  private long seq;
  private long progressSent = -1;
  private long progressSentNanos;
  private long vouchedByEntries = -1;
  private long batchSinceNanos;
  private boolean sendQueued;
  private long askedIcount = NO_ICOUNT;
  private boolean askedForce;
  private long entriesSent;
  private long batchesSent;
  private long markersSent;
  private long acksTaken;

  /**
   * @param monoNanos a monotonic clock, for the pacing of progress markers and the hold bound
   * @param loop the event loop of the logging channel (the thread that takes the acks): every send
   *     runs there
   */
  public LogStream(EventSink replayLog, LongSupplier monoNanos, EventExecutor loop) {
    this.replayLog = replayLog;
    this.monoNanos = monoNanos;
    this.loop = loop;
  }

  /**
   * Tells the stream whether the primary has a backlog of requests right now (asked on the loop's
   * thread, by every send decision): while it does, a batch waits to ripen.
   */
  synchronized void backlog(BooleanSupplier b) {
    backlog = b;
  }

  /** Records one event; returns its global sequence number. */
  long append(Event e) {
    boolean full;
    long global;
    synchronized (this) {
      global = ++seq;
      replayLog.append(e);
      if (link == null) {
        return global;
      }
      if (batch.isEmpty()) {
        batchSinceNanos = monoNanos.getAsLong();
      }
      batch.add(new LogEntry(seq - base, e));
      if (seq - ackedSeq > bytesThrough.length) {
        growRing();
      }
      appendedBytes += e.payload().length + ENTRY_OVERHEAD_BYTES;
      bytesThrough[ringIndex(seq)] = appendedBytes;
      full = batch.size() >= BATCH_ENTRIES_MAX;
    }
    if (full) {
      requestSend(NO_ICOUNT, true);
    }
    return global;
  }

  /**
   * Sends what is batched and vouches that nothing more below {@code icount} is to come, unless an
   * earlier batch is still in flight (then the batch leaves with its ack, or at the first flush after
   * {@link #HOLD_NANOS_MAX}). Progress markers go only with an empty batch (a marker past an unsent
   * entry would let the backup run past it), at most every {@link #PROGRESS_INTERVAL_NANOS}, and not
   * at all when the entries sent already reach {@code icount}.
   */
  void flush(long icount) {
    requestSend(icount, false);
  }

  /** Sends everything batched now, with a progress marker at {@code icount} (shutdown, halt, stall). */
  void flushAll(long icount) {
    requestSend(icount, true);
  }

  /**
   * Sends the batch now if the backup has acked everything sent before it (and, while the primary
   * has a backlog, the batch is ripe): the first output after a quiet spell need not wait for the
   * end of the slice, and a driver about to wait leaves nothing behind.
   */
  void sendIfCaughtUp() {
    requestSend(NO_ICOUNT, false);
  }

  /** Asks the loop for a send when there is something it would send; at most one request waits. */
  private void requestSend(long icount, boolean force) {
    synchronized (this) {
      if (link == null) {
        return;
      }
      askedIcount = Math.max(askedIcount, icount);
      askedForce |= force;
      if (sendQueued || !wouldSend(askedIcount, askedForce)) {
        return;
      }
      sendQueued = true;
    }
    if (loop.inEventLoop()) {
      sendOnLoop();
    } else {
      loop.execute(this::sendOnLoop);
    }
  }

  /** On the loop only: takes what may leave now and sends it. */
  private void sendOnLoop() {
    BackupLink l;
    List<LogEntry> entries = null;
    long progress = -1;
    synchronized (this) {
      long icount = askedIcount;
      boolean force = askedForce;
      sendQueued = false;
      askedIcount = NO_ICOUNT;
      askedForce = false;
      l = link;
      if (l == null || held(force)) {
        return;
      }
      entries = takeBatch();
      if (progressDue(icount, force)) {
        progress = icount;
        progressSent = icount;
        progressSentNanos = monoNanos.getAsLong();
      }
      batchesSent += entries == null ? 0 : 1;
      markersSent += progress >= 0 ? 1 : 0;
    }
    if (entries != null) {
      ReplayLogSink.flushBeforeExchange(replayLog); // what the backup gets survives a kill of this node
    }
    l.send(entries == null ? List.of() : entries, progress);
  }

  private boolean wouldSend(long icount, boolean force) {
    if (held(force)) {
      return false;
    }
    if (!batch.isEmpty()) {
      return true;
    }
    return progressDue(icount, force);
  }

  /** The batch waits for the ack of the one in flight, or to ripen while the primary has a backlog. */
  private boolean held(boolean force) {
    if (batch.isEmpty() || force) {
      return false;
    }
    long age = monoNanos.getAsLong() - batchSinceNanos;
    if (seq - ackedSeq > batch.size()) {
      return age < HOLD_NANOS_MAX;
    }
    return batch.size() < RIPE_ENTRIES && age < RIPE_NANOS && backlog.getAsBoolean();
  }

  /** A marker at {@code icount} is due once the batch is sent. */
  private boolean progressDue(long icount, boolean force) {
    long vouched = batch.isEmpty() ? vouchedByEntries : batch.get(batch.size() - 1).event().icount();
    if (icount <= Math.max(progressSent, vouched)) {
      return false;
    }
    return force || progressSent < 0 || monoNanos.getAsLong() - progressSentNanos >= PROGRESS_INTERVAL_NANOS;
  }

  /** Empties the batch (under the lock); null when it was empty. */
  private List<LogEntry> takeBatch() {
    if (batch.isEmpty()) {
      return null;
    }
    List<LogEntry> out = List.copyOf(batch);
    vouchedByEntries = out.get(out.size() - 1).event().icount();
    entriesSent += out.size();
    batch.clear();
    return out;
  }

  /** Attaches a new backup whose snapshot covers every entry so far. */
  synchronized void attach(BackupLink l) {
    link = l;
    base = seq;
    batch.clear();
    forgetUnacked();
    progressSent = -1;
    vouchedByEntries = -1;
    askedIcount = NO_ICOUNT;
    askedForce = false;
  }

  /** Forgets the backup (it was lost); entries go only to the replay log from now on. */
  public synchronized void detach(BackupLink l) {
    if (link == l || l == null) {
      link = null;
      batch.clear();
      forgetUnacked();
    }
  }

  /** Nothing is unacked: the entries so far are the new backup's snapshot, or there is no backup. */
  private void forgetUnacked() {
    ackedSeq = seq;
    appendedBytes = 0;
    ackedBytes = 0;
    bytesThrough = new long[UNACKED_RING_MIN];
  }

  private int ringIndex(long globalSeq) {
    return (int) (globalSeq & (bytesThrough.length - 1));
  }

  /** Doubles the ring, keeping the unacked seqs' sums. */
  private void growRing() {
    long[] old = bytesThrough;
    bytesThrough = new long[old.length * 2];
    for (long q = ackedSeq + 1; q < seq; q++) {
      bytesThrough[ringIndex(q)] = old[(int) (q & (old.length - 1))];
    }
  }

  public synchronized boolean attached() {
    return link != null;
  }

  synchronized BackupLink link() {
    return link;
  }

  /**
   * The backup acked channel entry {@code channelSeq}; returns the global seq it stands for. When
   * that was the batch in flight, the entries batched meanwhile leave now.
   */
  public long acked(long channelSeq) {
    long global;
    boolean next;
    synchronized (this) {
      global = base + channelSeq;
      acksTaken++;
      if (link != null && global > ackedSeq && global <= seq) {
        ackedBytes = bytesThrough[ringIndex(global)];
        ackedSeq = global;
      }
      next = link != null && !batch.isEmpty() && seq - ackedSeq == batch.size();
    }
    if (next) {
      requestSend(NO_ICOUNT, false);
    }
    return global;
  }

  /** What the log buffer holds at one instant: entries sent or batched and not yet acked, and their bytes. */
  public record Unacked(long entries, long bytes) {
    /** The fields a primary's {@code primary-stats} note carries for the buffer audit. */
    public Map<String, Object> fields() {
      return Map.of("unackedEntries", entries, "unackedBytes", bytes);
    }
  }

  /** The log buffer's count right now, both numbers under one lock (what the primary's stall decision reads). */
  public synchronized Unacked unacked() {
    return link == null ? new Unacked(0, 0) : new Unacked(seq - ackedSeq, appendedBytes - ackedBytes);
  }

  /** True when the primary must stall: the log buffer is full or the channel pushes back. */
  synchronized boolean full() {
    return link != null && (appendedBytes - ackedBytes >= LOG_BUFFER_BYTES_MAX || !link.writable());
  }

  synchronized long seq() {
    return seq;
  }

  public synchronized long entriesSent() {
    return entriesSent;
  }

  /** Batch frames sent (one per {@code sendEntries} call). */
  public synchronized long batchesSent() {
    return batchesSent;
  }

  /** Progress markers sent. */
  public synchronized long markersSent() {
    return markersSent;
  }

  /** Acks received from the backup. */
  public synchronized long acksTaken() {
    return acksTaken;
  }
}
