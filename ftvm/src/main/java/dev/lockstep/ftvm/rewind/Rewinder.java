package dev.lockstep.ftvm.rewind;

import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventSource;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.replay.ReplayPort;
import dev.lockstep.ftvm.replay.Replayer;
import dev.lockstep.ftvm.replay.HostPort;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A replayed execution that can be positioned at any icount the log reaches: {@link #seek} forward
 * re-executes from the log and keeps a snapshot every {@code snapshotInterval} instructions; a seek
 * backwards, or forwards past a kept snapshot, restores the nearest snapshot at or before the target and re-executes the rest, so it
 * costs at most one interval of execution plus a restore. A position at icount N is the state after
 * the instructions below N and the asynchronous events logged at N.
 *
 * <p>Not thread-safe. Snapshots are held in memory (a few hundred KiB each for the bundled guests;
 * at most {@link #SNAPSHOTS_MAX}, the oldest but the first dropped beyond that).
 */
public final class Rewinder {
  /** Default instructions between two kept snapshots. */
  public static final long SNAPSHOT_INTERVAL_DEFAULT = 5_000_000;
  /** Snapshots kept at most. */
  public static final int SNAPSHOTS_MAX = 2_000;

  private record Checkpoint(byte[] state, int eventIndex) {}

  private final List<Event> events;
  private final long snapshotInterval;
  private final TreeMap<Long, Checkpoint> checkpoints = new TreeMap<>();
  private Machine machine;
  private EventSource.OfList source;
  private int base;
  private Replayer replayer;

  /**
   * @param start the machine at the log's first event (booted, or restored from a node's snapshot);
   *     its port is replaced
   * @param events the whole log, in order
   */
  public Rewinder(Machine start, List<Event> events, long snapshotInterval) {
    if (snapshotInterval <= 0) {
      throw new IllegalArgumentException("snapshot interval must be positive, got " + snapshotInterval);
    }
    this.events = List.copyOf(events);
    this.snapshotInterval = snapshotInterval;
    attach(Objects.requireNonNull(start, "start"), 0);
    keep();
  }

  /** The machine at the current position; valid until the next seek. */
  public Machine machine() {
    return machine;
  }

  public long icount() {
    return machine.icount();
  }

  /** Snapshots kept so far. */
  public int snapshots() {
    return checkpoints.size();
  }

  /**
   * Moves to {@code target}, or as far as the log goes (its end, HALT or SHUTDOWN) when it ends first.
   *
   * @return the icount reached
   * @throws dev.lockstep.ftvm.replay.ReplayDivergence when the log does not replay (a corrupt log)
   */
  public long seek(long target) {
    Map.Entry<Long, Checkpoint> c = checkpoints.floorEntry(target);
    // backwards, or forwards past a kept snapshot: start from the nearest snapshot at or before the target
    if (target < machine.icount() || c.getKey() > machine.icount()) {
      restore(c.getValue());
    }
    while (machine.icount() < target) {
      long next = Math.min(target, (machine.icount() / snapshotInterval + 1) * snapshotInterval);
      Replayer.Result r = replayer.run(next);
      if (r.status() != Replayer.Status.LIMIT) {
        break;
      }
      if (machine.icount() % snapshotInterval == 0) {
        keep();
      }
    }
    return machine.icount();
  }

  /**
   * {@link #seek} forward with {@code tracer} seeing every instruction retired on the way (tracing
   * is one instruction at a time: slower than a plain seek).
   */
  public long seekTraced(long target, Machine.Tracer tracer) {
    if (target <= machine.icount()) {
      return seek(target);
    }
    while (machine.icount() < target) {
      long next = Math.min(target, (machine.icount() / snapshotInterval + 1) * snapshotInterval);
      machine.trace(machine.icount(), next, tracer);
      Replayer.Result r;
      try {
        r = replayer.run(next);
      } finally {
        machine.trace(0, 0, null);
      }
      if (r.status() != Replayer.Status.LIMIT) {
        break;
      }
      if (machine.icount() % snapshotInterval == 0) {
        keep();
      }
    }
    return machine.icount();
  }

  /** Steps back one instruction (to icount - 1); false at the start of the log. */
  public boolean reverseStep() {
    long now = machine.icount();
    if (now == checkpoints.firstKey()) {
      return false;
    }
    seek(now - 1);
    return true;
  }

  private void keep() {
    long ic = machine.icount();
    if (checkpoints.containsKey(ic)) {
      return;
    }
    if (checkpoints.size() >= SNAPSHOTS_MAX) {
      checkpoints.remove(checkpoints.higherKey(checkpoints.firstKey()));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      machine.snapshot(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    checkpoints.put(ic, new Checkpoint(bytes.toByteArray(), base + source.position()));
  }

  private void restore(Checkpoint c) {
    try {
      attach(Machine.restore(new DataInputStream(new ByteArrayInputStream(c.state())), HostPort.UNATTACHED), c.eventIndex());
    } catch (IOException e) {
      throw new IllegalStateException("a snapshot this rewinder took does not restore", e);
    }
  }

  private void attach(Machine m, int eventIndex) {
    this.base = eventIndex;
    this.source = EventSource.of(events.subList(eventIndex, events.size()));
    m.setPort(new ReplayPort(source, OutputHandler.NONE));
    this.machine = m;
    this.replayer = new Replayer(m, source);
  }
}
