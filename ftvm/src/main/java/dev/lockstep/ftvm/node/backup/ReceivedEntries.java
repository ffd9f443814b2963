package dev.lockstep.ftvm.node.backup;

import dev.lockstep.ftvm.ft.LogEntry;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventSource;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The entries a backup received and has not replayed yet, bounded: the logging channel's thread adds
 * at the tail, the replay thread takes from the head. Lock-free, so the two never make each other
 * sleep on a lock for every batch. The replay thread reads their events as the {@link EventSource}
 * of its replayer.
 */
final class ReceivedEntries implements EventSource {

  private final ConcurrentLinkedQueue<LogEntry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int max;
  /** The seq of the last entry taken (replayed); 0 before the first. Replay thread only. */
  private long takenSeq;

  ReceivedEntries(int max) {
    this.max = max;
  }

  /** Adds at the tail; false when the bound is reached (nothing added). Called by one thread. */
  boolean offer(LogEntry e) {
    if (size.get() >= max) {
      return false;
    }
    queue.add(e);
    size.incrementAndGet();
    return true;
  }

  /** The head's event, or null. */
  @Override
  public Event peek() {
    LogEntry head = queue.peek();
    return head == null ? null : head.event();
  }

  /** Removes the head and returns its event. Called by the replay thread only. */
  @Override
  public Event take() {
    LogEntry e = queue.poll();
    if (e == null) {
      return null;
    }
    size.decrementAndGet();
    takenSeq = e.seq();
    return e.event();
  }

  /** The seq of the last entry taken; 0 before the first. Called by the replay thread only. */
  long takenSeq() {
    return takenSeq;
  }

  /** Entries received and not taken yet. */
  int size() {
    return size.get();
  }
}
