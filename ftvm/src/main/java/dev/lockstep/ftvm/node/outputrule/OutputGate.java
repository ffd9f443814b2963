package dev.lockstep.ftvm.node.outputrule;

import java.util.ArrayDeque;

/**
 * The output rule (paper §2.2): an output that is the log entry with sequence number {@code seq}
 * leaves only once the backup has acked that entry, and so every entry before it. Outputs wait here
 * in sequence order while the primary keeps executing; the queue is bounded, and a full queue stalls
 * the primary (the caller waits for {@link #offer} to succeed).
 *
 * <p>A primary running alone (it won the test-and-set) releases at once, but nothing while the
 * ZooKeeper connection is suspended or its session lost: another node may win the next epoch, so the
 * primary's standing is not known. With a backup, an acked output leaves even then: nobody goes live
 * without ZooKeeper, and the ack proves the backup holds the entry and follows this primary, so a
 * backup that later goes live reaches the same output. While the primary decides
 * whether it may go on alone ({@link Mode#HELD}), nothing leaves. Thread-safe: the recording thread
 * offers, the logging channel acks, the coordinator switches modes. Releases happen in seq order, one
 * thread at a time, each decided under the gate's lock and handed to the {@link Releaser} outside
 * it: a release does I/O, and the recording thread must not wait for it to offer the next output.
 * A thread that finds another one releasing leaves the outputs it made releasable to that one.
 *
 * @param <T> what an output is to the releaser
 */
public final class OutputGate<T> {

  /** Outputs waiting at once; more stall the primary. */
  public static final int PENDING_OUTPUTS_MAX = 4096;

  /** Whose word an output waits for. */
  public enum Mode {
    /** A backup is attached: wait for its ack. */
    WITH_BACKUP,
    /** Live alone after winning the test-and-set: wait only while ZooKeeper's word is missing. */
    ALONE,
    /** The backup was lost and the test-and-set is not decided: release nothing. */
    HELD
  }

  /** Sends an output out of the node. */
  public interface Releaser<T> {
    void release(Release<T> r);

    /** The releasing thread ends its turn: work batched over the outputs it released can go now. */
    default void burstDone() {}
  }

  private record Pending<T>(long seq, T output) {}

  private final ArrayDeque<Pending<T>> pending = new ArrayDeque<>();
  private final Releaser<T> releaser;
  private final int pendingMax;
  private final boolean skipOutputRule;
  private Mode mode;
  private boolean zkConnected = true;
  private long ackedSeq;
  private long releasedCount;
  private boolean releasing;
  private int releasingNow;

  /**
   * @param skipOutputRule the planted bug {@code --unsafe skip-output-rule}: release at once, always
   */
  public OutputGate(Mode initial, Releaser<T> releaser, int pendingMax, boolean skipOutputRule) {
    this.mode = initial;
    this.releaser = releaser;
    this.pendingMax = pendingMax;
    this.skipOutputRule = skipOutputRule;
  }

  /**
   * Queues the output of entry {@code seq} (seqs grow) and releases what may leave.
   *
   * @return false when the queue is full; nothing was queued
   */
  public boolean offer(long seq, T output) {
    synchronized (this) {
      if (!pending.isEmpty() && pending.peekLast().seq() >= seq) {
        throw new IllegalArgumentException("output seq " + seq + " after " + pending.peekLast().seq());
      }
      if (pending.size() >= pendingMax) {
        return false;
      }
      pending.addLast(new Pending<>(seq, output));
    }
    releaseReady(false);
    return true;
  }

  /**
   * Queues an output although the queue is full: for a caller that cannot wait for room in the middle
   * of an instruction (the simulator runs acks and the guest on one thread). The queue then exceeds its
   * bound by at most the outputs of one slice.
   */
  public void offerPastBound(long seq, T output) {
    synchronized (this) {
      if (!pending.isEmpty() && pending.peekLast().seq() >= seq) {
        throw new IllegalArgumentException("output seq " + seq + " after " + pending.peekLast().seq());
      }
      pending.addLast(new Pending<>(seq, output));
    }
    releaseReady(false);
  }

  /**
   * The offering thread ends its turn: what the releaser batched over the outputs {@link #offer}
   * released at once (a primary alone releases each as it is offered) can go now.
   */
  public void offersDone() {
    releaser.burstDone();
  }

  /** The backup has stored every entry up to {@code seq}. */
  public void acked(long seq) {
    synchronized (this) {
      if (seq <= ackedSeq) {
        return;
      }
      ackedSeq = seq;
    }
    releaseReady();
  }

  public void mode(Mode m) {
    synchronized (this) {
      mode = m;
    }
    releaseReady();
  }

  public synchronized Mode mode() {
    return mode;
  }

  /** False while ZooKeeper's word is missing (SUSPENDED, or LOST until the epoch is confirmed): only a primary alone waits. */
  public void zkConnected(boolean connected) {
    synchronized (this) {
      zkConnected = connected;
    }
    releaseReady();
  }

  /** The highest sequence number the backup has acked. */
  public synchronized long ackedSeq() {
    return ackedSeq;
  }

  /** Outputs waiting, counting one being handed to the releaser right now. */
  public synchronized int pendingCount() {
    return pending.size() + releasingNow;
  }

  public synchronized long releasedCount() {
    return releasedCount;
  }

  /** Forgets every waiting output without releasing it (a node that halts). */
  public synchronized int discard() {
    int n = pending.size();
    pending.clear();
    return n;
  }

  /**
   * An output leaving, with the gate's word on it as decided under its lock: whether a backup acked its
   * entry {@code seq} ({@code acked}), the highest entry acked then ({@code ackedSeq}), the gate's mode and
   * whether ZooKeeper's word was there. The event log records them, so a run shows each release was allowed.
   */
  public record Release<T>(long seq, T output, boolean acked, long ackedSeq, Mode mode, boolean zkConnected) {}

  private void releaseReady() {
    releaseReady(true);
  }

  /**
   * Releases, in seq order, every output that may leave, unless another thread is doing so. With
   * {@code endBurst} false the caller ends the burst itself ({@link #offersDone}).
   */
  private void releaseReady(boolean endBurst) {
    synchronized (this) {
      if (releasing) {
        return; // the releasing thread looks at the queue again before it stops
      }
      releasing = true;
    }
    boolean done = false;
    try {
      Release<T> r;
      try {
        while ((r = nextRelease()) != null) {
          try {
            releaser.release(r);
          } finally {
            synchronized (this) {
              releasingNow--;
            }
          }
        }
      } finally {
        if (endBurst) {
          releaser.burstDone();
        }
      }
      done = true;
    } finally {
      if (!done) {
        synchronized (this) {
          releasing = false;
        }
      }
    }
  }

  /** Takes the head if it may leave now; otherwise ends this thread's turn as releaser. */
  private synchronized Release<T> nextRelease() {
    Pending<T> p = pending.peekFirst();
    if (p != null) {
      boolean acked = mode == Mode.WITH_BACKUP && p.seq() <= ackedSeq;
      boolean alone = mode == Mode.ALONE;
      if (acked || (alone && zkConnected) || skipOutputRule) {
        pending.removeFirst();
        releasedCount++;
        releasingNow++;
        return new Release<>(p.seq(), p.output(), acked, ackedSeq, mode, zkConnected);
      }
    }
    releasing = false;
    return null;
  }
}
