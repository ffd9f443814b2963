package dev.lockstep.ftvm.node.backup;

import dev.lockstep.ftvm.ft.LogEntry;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.EventSink;
import dev.lockstep.ftvm.replay.HostPort;
import java.util.Arrays;

/**
 * The port of a replaying backup: every clock and random value is the primary's logged value at the
 * same icount, and every output must equal the logged one; outputs are suppressed (a local-disk
 * write is executed on this node's own disk). Any mismatch is a {@link Divergence}.
 */
final class BackupPort implements HostPort {

  /** What the backup does with a suppressed output. */
  public interface Suppressed {
    void output(Event e);
  }

  private final ReceivedEntries received;
  private final EventSink replayLog;
  private final Suppressed suppressed;
  private final HostClock ownClock;
  private long mtimeFloor;
  private long rtcFloor;

  /**
   * @param ownClock non-null only for the planted bug {@code backup-own-clock}
   */
  BackupPort(ReceivedEntries received, EventSink replayLog, Suppressed suppressed, HostClock ownClock) {
    this.received = received;
    this.replayLog = replayLog;
    this.suppressed = suppressed;
    this.ownClock = ownClock;
  }

  long mtimeFloor() {
    return mtimeFloor;
  }

  long rtcFloor() {
    return rtcFloor;
  }

  private Event take(long icount, EventKind kind) {
    LogEntry head = received.peek();
    if (head == null) {
      throw new Divergence("backup needs " + kind + " at icount " + icount + " but the log has nothing there");
    }
    Event e = head.event();
    if (e.icount() != icount || e.kind() != kind) {
      throw new Divergence("backup did " + kind + " at icount " + icount + ", the log has " + e);
    }
    received.poll();
    replayLog.append(e);
    return e;
  }

  @Override
  public long readClock(long icount, EventKind kind) {
    long v = take(icount, kind).longValue();
    if (ownClock != null) {
      v = kind == EventKind.CLOCK_MTIME ? ownClock.wallMicros() : ownClock.wallNanos();
    }
    if (kind == EventKind.CLOCK_MTIME) {
      mtimeFloor = Math.max(mtimeFloor, v);
    } else {
      rtcFloor = Math.max(rtcFloor, v);
    }
    return v;
  }

  @Override
  public int readRandom(long icount) {
    return take(icount, EventKind.RNG).intValue();
  }

  @Override
  public void output(long icount, EventKind kind, byte[] payload) {
    Event logged = take(icount, kind);
    if (!Arrays.equals(logged.payload(), payload)) {
      throw new Divergence("backup's " + kind + " at icount " + icount + " differs from the primary's");
    }
    suppressed.output(logged);
  }
}
