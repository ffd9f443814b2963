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
import java.util.function.Consumer;

/**
 * A replayed execution that can be positioned at any icount the log reaches: {@link #seek} forward
 * re-executes from the log and keeps a snapshot every {@code snapshotInterval} instructions; a seek
 * backwards, or forwards past a kept snapshot, restores the nearest snapshot at or before the target
 * and re-executes the rest, so it costs at most one interval of execution plus a restore. A position
 * at icount N is the state after the instructions below N and the asynchronous events logged at N.
 *
 * <p>The log is a {@link Recording}: a finished one, or one that goes on as seeks ask for more.
 *
 * <p>{@link #edit} (a debugger's register or memory write) forks a branch off the recorded execution
 * at the current icount: forward motion then runs the edited machine on {@link UncheckedInputs}, and a
 * seek at or after the latest edit's icount re-executes the branch from there; a seek before it, or
 * {@link #dropEdits}, drops every edit and returns to the recorded execution. No periodic snapshot of
 * a branch is kept, and a branch runs no further than the icount where the log ends.
 *
 * <p>Not thread-safe. Snapshots are held in memory (a few hundred KiB each for the bundled guests;
 * at most {@link #SNAPSHOTS_MAX}, the oldest but the first dropped beyond that).
 */
public final class Rewinder {
  /** Default instructions between two kept snapshots. */
  public static final long SNAPSHOT_INTERVAL_DEFAULT = 5_000_000;
  /** Snapshots kept at most. */
  public static final int SNAPSHOTS_MAX = 2_000;

  /**
   * The log a rewinder replays. Its event list may only grow at its end, and only inside
   * {@link #extendTo}.
   */
  public interface Recording {
    /** The events so far, in order. */
    List<Event> events();

    /** The icount below which {@link #events} is complete: no event below it will be added. */
    long vouched();

    /** Records on until {@link #vouched} reaches {@code icount} or the recording ends (halt, shutdown). */
    void extendTo(long icount);

    /** A finished log: every event is there, and it vouches for nothing past its last event. */
    static Recording of(List<Event> events) {
      List<Event> all = List.copyOf(events);
      long end = all.isEmpty() ? 0 : all.get(all.size() - 1).icount();
      return new Recording() {
        @Override
        public List<Event> events() {
          return all;
        }

        @Override
        public long vouched() {
          return end;
        }

        @Override
        public void extendTo(long icount) {}
      };
    }
  }

  private record Checkpoint(byte[] state, int eventIndex) {}

  /** The latest edit: the edited machine's state and where its unchecked inputs stood. */
  private record Branch(long icount, byte[] state, UncheckedInputs inputs) {}

  private final Recording recording;
  private final List<Event> events;
  private final long snapshotInterval;
  private final TreeMap<Long, Checkpoint> checkpoints = new TreeMap<>();
  private Machine machine;
  private EventSource.OfList source;
  private Replayer replayer;
  private Branch branch;
  private UncheckedInputs unchecked;

  /**
   * @param start the machine at the log's first event (booted, or restored from a node's snapshot);
   *     its port is replaced
   * @param events the whole log, in order
   */
  public Rewinder(Machine start, List<Event> events, long snapshotInterval) {
    this(start, Recording.of(events), snapshotInterval);
  }

  /** A rewinder over a recording that may still go on. */
  public Rewinder(Machine start, Recording recording, long snapshotInterval) {
    if (snapshotInterval <= 0) {
      throw new IllegalArgumentException("snapshot interval must be positive, got " + snapshotInterval);
    }
    this.recording = Objects.requireNonNull(recording, "recording");
    this.events = recording.events();
    this.snapshotInterval = snapshotInterval;
    attach(Objects.requireNonNull(start, "start"), 0);
    keep();
  }

  /** The machine at the current position; valid until the next seek or edit. */
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

  /** Whether the machine is on an edited branch rather than the recorded execution. */
  public boolean edited() {
    return branch != null;
  }

  /**
   * Drops every edit: the machine is the recorded execution's again, at the same icount (or as far
   * as the log goes).
   */
  public void dropEdits() {
    if (branch != null) {
      long at = machine.icount();
      branch = null;
      unchecked = null;
      restore(checkpoints.floorEntry(at).getValue());
      seek(at);
    }
  }

  /**
   * Applies a debugger's write to the machine at the current position and goes on from there on an
   * edited branch (see the class comment).
   *
   * @throws IllegalArgumentException when {@code change} refuses the write; the machine is unchanged
   */
  public void edit(Consumer<Machine> change) {
    change.accept(machine); // a refused write throws before it changes anything
    if (branch == null) {
      unchecked = new UncheckedInputs(events, source.position());
      machine.setPort(unchecked);
    }
    branch = new Branch(machine.icount(), bytes(machine), unchecked.copy());
  }

  /**
   * Moves to {@code target}, or as far as the log goes (its end, HALT or SHUTDOWN) when it ends first.
   *
   * @return the icount reached
   * @throws dev.lockstep.ftvm.replay.ReplayDivergence when the log does not replay (a corrupt log)
   */
  public long seek(long target) {
    return seekTraced(target, null);
  }

  /**
   * {@link #seek} with {@code tracer} (null: none) seeing every instruction retired on the way
   * forward from the current position (tracing is one instruction at a time: slower than a plain
   * seek); a seek backwards traces nothing.
   */
  public long seekTraced(long target, Machine.Tracer tracer) {
    if (target < machine.icount()) {
      tracer = null;
    }
    if (branch != null && target >= branch.icount()) {
      if (target < machine.icount()) {
        restore(branch);
      }
    } else {
      Map.Entry<Long, Checkpoint> c = checkpoints.floorEntry(target);
      // backwards, off a branch, or (untraced) forwards past a kept snapshot: start from the nearest
      // snapshot at or before the target
      if (target < machine.icount() || branch != null || (tracer == null && c.getKey() > machine.icount())) {
        branch = null;
        unchecked = null;
        restore(c.getValue());
      }
    }
    // a branch runs no further than the log reaches: past it, an edited guest may wait forever for input
    long end = branch != null ? Math.min(target, Math.max(recording.vouched(), branch.icount())) : target;
    while (machine.icount() < end) {
      long next = branch != null ? end : Math.min(target, (machine.icount() / snapshotInterval + 1) * snapshotInterval);
      if (tracer != null) {
        machine.trace(machine.icount(), next, tracer);
      }
      boolean reached;
      try {
        reached = branch != null ? unchecked.run(machine, next) : replay(next);
      } finally {
        machine.trace(0, 0, null);
      }
      if (!reached) {
        break;
      }
      if (branch == null && machine.icount() % snapshotInterval == 0) {
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

  /** Replays to {@code limit}, recording on first where the recording has not got there; false when the log ended first. */
  private boolean replay(long limit) {
    // TRICKY: one past the limit, so that the asynchronous events logged at the limit are all there
    if (recording.vouched() <= limit) {
      recording.extendTo(limit + 1);
    }
    while (true) {
      Replayer.Result r = replayer.run(limit);
      if (r.status() == Replayer.Status.LIMIT) {
        return true;
      }
      if (r.status() != Replayer.Status.END_OF_INPUT) {
        return false;
      }
      if (machine.icount() >= limit) {
        return true;
      }
      long vouched = Math.min(limit, recording.vouched());
      if (vouched <= machine.icount()) {
        return false;
      }
      // past the last event so far: the recording vouches that no input comes before it
      Replayer.Status s = replayer.step(vouched - machine.icount(), vouched);
      if (s == Replayer.Status.HALTED || s == Replayer.Status.SHUTDOWN) {
        return false;
      }
    }
  }

  private void keep() {
    long ic = machine.icount();
    if (checkpoints.containsKey(ic)) {
      return;
    }
    if (checkpoints.size() >= SNAPSHOTS_MAX) {
      checkpoints.remove(checkpoints.higherKey(checkpoints.firstKey()));
    }
    checkpoints.put(ic, new Checkpoint(bytes(machine), source.position()));
  }

  private static byte[] bytes(Machine m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      m.snapshot(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  private static Machine machineOf(byte[] state) {
    try {
      return Machine.restore(new DataInputStream(new ByteArrayInputStream(state)), HostPort.UNATTACHED);
    } catch (IOException e) {
      throw new IllegalStateException("a snapshot this rewinder took does not restore", e);
    }
  }

  private void restore(Checkpoint c) {
    attach(machineOf(c.state()), c.eventIndex());
  }

  private void restore(Branch b) {
    machine = machineOf(b.state());
    unchecked = b.inputs().copy();
    machine.setPort(unchecked);
  }

  private void attach(Machine m, int eventIndex) {
    this.source = EventSource.of(events, eventIndex);
    m.setPort(new ReplayPort(source, OutputHandler.NONE));
    this.machine = m;
    this.replayer = new Replayer(m, source);
  }
}
