package dev.lockstep.ftvm.node.backup;

import dev.lockstep.ftvm.ft.BackupListener;
import dev.lockstep.ftvm.ft.LogEntry;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.primary.PrimaryDriver;
import dev.lockstep.ftvm.node.records.NodeEventLog;
import dev.lockstep.ftvm.node.records.ReplayLogSink;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.EventSink;
import dev.lockstep.ftvm.replay.EventSource;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.replay.ReplayDivergence;
import dev.lockstep.ftvm.replay.ReplayPort;
import dev.lockstep.ftvm.replay.Replayer;
import dev.lockstep.histories.events.NodeEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the machine as the backup: the machine's one {@link Replayer}, whose source is the logging
 * channel. It never runs past the highest icount the primary has vouched for (the last entry or
 * progress marker received), and acks the highest entry stored with its executed icount. Outputs are
 * checked against the log and suppressed; a state hash is logged every {@code hashInterval}
 * instructions.
 *
 * <p>When the primary is lost it stops at what it has; {@link #catchUp} then executes every received
 * entry, taking no new input, so the node can go live in the primary's exact state (paper §2.2), and
 * logs what it received, acked and executed ({@code caught-up}) for the checkers.
 */
public final class BackupDriver implements BackupListener {

  /** Entries received and not yet replayed; the primary's flow control keeps it far below this. */
  /** How long the planted bug ack-before-write takes to store what it already acked. */
  static final long UNSAFE_WRITE_NANOS = 200_000_000L;
  /** Batches the planted ack-before-write holds at most before storing the oldest. */
  static final int STAGED_BATCHES_MAX = 1 << 16;

  /** A batch (or a progress marker) acked but not yet stored, under the planted bug ack-before-write. */
  private record Staged(long arrivedNanos, List<LogEntry> entries, long progress) {}

  static final int RECEIVED_ENTRIES_MAX = 1 << 20;
  /**
   * Longest wait for entries before looking at the channel's state again. Entries, progress, the
   * snapshot and the loss of the primary all wake the replay thread; this only bounds a missed one.
   */
  public static final long WAIT_PARK_NANOS_MAX = 20_000_000;
  /**
   * Acks carry the executed icount at least this often while the machine runs. Entries are acked at
   * once as they arrive; this periodic ack only feeds the primary's lag figure and flow control,
   * whose bound is 100 ms by default.
   */
  static final long ACK_INTERVAL_NANOS = 5_000_000;
  /** Calls of the periodic ack between entries per look at the clock. */
  static final int ACK_CHECK_EVERY = 64;
  /** Instructions executed between entries after which the periodic ack looks at the clock anyway. */
  static final long ACK_CHECK_INSTRUCTIONS = 100_000;

  private static final Logger log = LoggerFactory.getLogger(BackupDriver.class);

  /** How replay ends. */
  public enum Outcome { PRIMARY_LOST, SHUTDOWN, DIVERGED, GUEST_HALTED }

  /** What a {@link #step} did: replay ended ({@code outcome}), or it made progress, or it has nothing to do. */
  public record Step(Outcome outcome, boolean idle) {
    static final Step PROGRESS = new Step(null, false);
    static final Step IDLE = new Step(null, true);

    static Step ended(Outcome o) {
      return new Step(o, false);
    }
  }

  /** Where the backup sends its acks. */
  public interface Acker {
    void ack(long seq, long executedIcount);
  }

  private final ReceivedEntries received = new ReceivedEntries(RECEIVED_ENTRIES_MAX);
  private final HostClock clock;
  private final NodeEventLog events;
  private final EventSink replayLog;
  private final long hashInterval;
  private final boolean ackBeforeWrite;
  private boolean lateTimer;
  /** The primary's epoch: every state this backup reaches, catch-up included, is on its history. */
  private final long epoch;
  private volatile Machine machine;
  /** Tells whoever runs {@link #step} that an input arrived. */
  private volatile Runnable waker = () -> {};
  private volatile Acker acker;
  private volatile byte[] snapshot;
  private volatile long snapshotIcount = -1;
  private volatile long vouched;
  private volatile long storedSeq;
  private volatile String lostReason;
  /** Planted bug ack-before-write: batches acked on arrival, stored only {@link #UNSAFE_WRITE_NANOS} later. */
  private final java.util.ArrayDeque<Staged> staged = new java.util.ArrayDeque<>();
  private ReplayPort port;
  private Replayer replayer;
  private long nextHash;
  private long lastAckNanos;
  private long ackChecks;
  private long checkedIcount;
  private long lastAckSeq = -1;
  private long highestAcked = -1;
  private long lastAckIcount = -1;
  private String divergence;
  private long replayedEntries;

  public BackupDriver(HostClock clock, NodeEventLog events, EventSink replayLog, long hashInterval,
      boolean ackBeforeWrite, long epoch) {
    this.clock = clock;
    this.events = events;
    this.replayLog = replayLog;
    this.hashInterval = hashInterval;
    this.ackBeforeWrite = ackBeforeWrite;
    this.epoch = epoch;
  }

  public void acker(Acker a) {
    this.acker = a;
  }

  // ---- the logging channel's thread ----

  @Override
  public void snapshot(long icount, byte[] bytes) {
    snapshotIcount = icount;
    snapshot = bytes;
    wake();
  }

  @Override
  public synchronized void entries(List<LogEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    if (ackBeforeWrite) {
      // planted bug: ack what just arrived, but store it only once a slow write has finished; a
      // primary that dies meanwhile has released outputs whose entries this backup never stored
      ack(entries.get(entries.size() - 1).seq());
      staged.addLast(new Staged(clock.monoNanos(), List.copyOf(entries), -1));
      if (staged.size() > STAGED_BATCHES_MAX) {
        store(staged.pollFirst().entries());
      }
      storeWritten();
      wake();
      return;
    }
    store(entries);
    // the ack leaves before the replay thread is woken: woken first, it could take this thread's cpu
    // and hold the ack back until it has replayed the batch
    ack(storedSeq);
    wake();
  }

  private void store(List<LogEntry> entries) {
    for (LogEntry le : entries) {
      if (!received.offer(le)) {
        lostReason = "backup log buffer overflow at entry " + le.seq();
        break;
      }
      storedSeq = le.seq();
      raiseVouched(le.event().icount());
    }
  }

  private void storeWritten() {
    long now = clock.monoNanos();
    while (!staged.isEmpty() && now - staged.peekFirst().arrivedNanos() >= UNSAFE_WRITE_NANOS) {
      Staged st = staged.pollFirst();
      store(st.entries());
      if (st.progress() >= 0) {
        raiseVouched(st.progress());
      }
    }
  }

  @Override
  public synchronized void progress(long icount) {
    if (ackBeforeWrite) {
      staged.addLast(new Staged(clock.monoNanos(), List.of(), icount));
      storeWritten();
      wake();
      return;
    }
    raiseVouched(icount);
    wake();
  }

  private void raiseVouched(long icount) {
    if (icount > vouched) {
      vouched = icount;
    }
  }

  @Override
  public void primaryLost(String reason) {
    if (lostReason == null) {
      lostReason = reason;
    }
    wake();
  }

  private synchronized void ack(long seq) {
    // acks never go back, also when the planted ack-before-write acked ahead of what is stored
    seq = Math.max(seq, highestAcked);
    highestAcked = seq;
    Acker a = acker;
    Machine m = machine;
    if (a != null) {
      ReplayLogSink.flushBeforeExchange(replayLog); // what it executed up to this ack survives a kill
      a.ack(seq, m == null ? snapshotIcount : m.icount());
    }
  }

  private void wake() {
    waker.run();
  }

  /** Whoever runs the replay is told through {@code w} when a snapshot, entries, progress or a loss arrive. */
  public void wakeOn(Runnable w) {
    this.waker = w;
  }

  public byte[] snapshotBytes() {
    return snapshot;
  }

  // ---- the replay thread ----

  public long snapshotIcount() {
    return snapshotIcount;
  }

  public String lostReason() {
    return lostReason;
  }

  public String divergence() {
    return divergence;
  }

  /**
   * Plants the bug late-timer (before {@link #start}): every timer interrupt is delivered one
   * instruction after the icount the primary logged it at.
   */
  public void plantLateTimer() {
    lateTimer = true;
  }

  /**
   * Starts replaying on {@code m}, restored from the snapshot; {@code suppressed} takes each output
   * once it matched the log; {@code ownClock} only for the planted bug.
   */
  public void start(Machine m, HostClock ownClock, OutputHandler suppressed) {
    EventSource source = lateTimer ? new LateTimer(received) : received;
    port = new ReplayPort(source, suppressed, replayLog, ownClock == null ? null
        : kind -> kind == EventKind.CLOCK_MTIME ? ownClock.wallMicros() : ownClock.wallNanos());
    m.setPort(port);
    replayer = new Replayer(m, source, replayLog, new Replayer.Observer() {
      @Override
      public long nextStop() {
        return nextHash;
      }

      @Override
      public void ran() {
        checkHash();
        maybeAckSometimes();
      }
    });
    nextHash = (m.icount() / hashInterval + 1) * hashInterval;
    raiseVouched(m.icount());
    machine = m;
  }

  /**
   * One step of replay, at most about {@code budget} instructions: applies the entry at the head of
   * the queue or runs on to the icount the primary vouched for. Never waits.
   */
  public Step step(long budget) {
    try {
      boolean entry = received.peek() != null;
      if (!entry && lostReason != null) {
        return Step.ended(Outcome.PRIMARY_LOST);
      }
      Replayer.Status s = replayer.step(budget, vouched);
      if (entry) {
        replayedEntries++;
      }
      return switch (s) {
        case PROGRESS -> Step.PROGRESS;
        case HALTED -> Step.ended(Outcome.GUEST_HALTED);
        case SHUTDOWN -> Step.ended(Outcome.SHUTDOWN);
        default -> {
          maybeAck();
          yield Step.IDLE;
        }
      };
    } catch (ReplayDivergence d) {
      diverged(d, "replay diverged");
      return Step.ended(Outcome.DIVERGED);
    }
  }

  private void diverged(ReplayDivergence d, String what) {
    divergence = d.getMessage();
    log.error("{}: {}", what, d.getMessage());
    events.divergence(epoch, d.icount(), d.getMessage());
  }

  private void checkHash() {
    if (machine.icount() >= nextHash) {
      events.stateHash(epoch, NodeEvent.RoleChange.BACKUP, machine.icount(), machine.stateHash());
      nextHash = (machine.icount() / hashInterval + 1) * hashInterval;
    }
  }

  /**
   * The periodic ack between entries: runs for every entry, a few times per request under load, so
   * it looks at the clock only every {@link #ACK_CHECK_EVERY} calls or {@link #ACK_CHECK_INSTRUCTIONS}
   * (the replay thread runs the full check each time it has caught up).
   */
  private void maybeAckSometimes() {
    long icount = machine.icount();
    if (++ackChecks % ACK_CHECK_EVERY == 0 || icount - checkedIcount >= ACK_CHECK_INSTRUCTIONS) {
      checkedIcount = icount;
      maybeAck();
    }
  }

  /** The periodic ack: carries the executed icount for the lag; none while nothing changed. */
  private void maybeAck() {
    long seq = storedSeq;
    long icount = machine.icount();
    if (seq == lastAckSeq && icount == lastAckIcount) {
      return;
    }
    long now = clock.monoNanos();
    if (now - lastAckNanos >= ACK_INTERVAL_NANOS) {
      lastAckNanos = now;
      lastAckSeq = seq;
      lastAckIcount = icount;
      ack(seq);
    }
  }

  /**
   * After the primary is lost and this node won go-live: executes every entry received, taking no
   * new input, up to the highest icount vouched for, then logs what it received, acked and executed.
   *
   * @return false when the replay diverged, shut down or the guest halted on the way
   */
  public boolean catchUp() {
    if (!replayAll()) {
      return false;
    }
    caughtUp();
    return true;
  }

  private boolean replayAll() {
    try {
      while (true) {
        boolean entry = received.peek() != null;
        Replayer.Status s = replayer.step(Long.MAX_VALUE, vouched);
        if (entry) {
          replayedEntries++;
        }
        switch (s) {
          case PROGRESS, SHUTDOWN -> { }
          case END_OF_INPUT -> {
            return true;
          }
          default -> {
            return false;
          }
        }
      }
    } catch (ReplayDivergence d) {
      diverged(d, "replay diverged while catching up");
      return false;
    }
  }

  /**
   * Logs what the catch-up left behind: every entry received (and every one acked) must have been
   * executed, or the node goes live without an entry whose output the old primary may have released.
   * Under the channel's lock, so no batch arriving meanwhile is half counted. Written by {@link
   * #catchUp} whatever way its replay ended well, so a replay that stops early is counted too.
   */
  private synchronized void caughtUp() {
    events.caughtUp(epoch, storedSeq, highestAcked, received.takenSeq(), received.size(), machine.icount());
  }

  public Machine machine() {
    return machine;
  }

  /** The planted bug late-timer: the received entries, with every TIMER one icount later. */
  private static final class LateTimer implements EventSource {
    private final EventSource received;
    private Event head;
    private Event shifted;

    LateTimer(EventSource received) {
      this.received = received;
    }

    @Override
    public Event peek() {
      return late(received.peek());
    }

    @Override
    public Event take() {
      return late(received.take());
    }

    /** The same shifted event for the same entry, as the replayer compares events by identity. */
    private Event late(Event e) {
      if (e == null || e.kind() != EventKind.TIMER) {
        return e;
      }
      if (e != head) {
        head = e;
        shifted = new Event(e.icount() + 1, e.kind(), e.payload());
      }
      return shifted;
    }
  }

  public PrimaryDriver.ClockFloors floors() {
    return new PrimaryDriver.ClockFloors(port.mtimeFloor(), port.rtcFloor());
  }

  public long executedIcount() {
    Machine m = machine;
    return m == null ? -1 : m.icount();
  }

  public long replayedEntries() {
    return replayedEntries;
  }
}
