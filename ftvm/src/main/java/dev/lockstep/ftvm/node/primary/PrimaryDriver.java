package dev.lockstep.ftvm.node.primary;

import dev.lockstep.ftvm.ft.BackupLink;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.RunStatus;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.BlockDisk;
import dev.lockstep.ftvm.node.outputrule.OutputGate;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.EventSink;
import java.io.IOException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the machine as the recording primary, in slices, on one thread. Client packets, disk
 * completions and timer expiries are stamped with the icount between two slices, logged and
 * delivered. Outputs wait in the {@link OutputGate} for the backup's ack while the machine runs on.
 * A full log buffer or output queue stalls the machine; a lagging backup slows it down.
 *
 * <p>The driver never waits itself: each {@link #turn} does one step (a control action, a slice, the
 * start or the end of a shutdown) and says how long the driver may wait for an input before the next
 * one. Whoever runs it does the waiting: in a node, {@link dev.lockstep.ftvm.node.host.PrimaryLoop} on
 * the thread that also runs the logging channel's event loop (so acks are taken between slices and
 * while it waits); in the simulator, a task of the simulated process.
 *
 * <p>Other threads talk to it only through {@link #offerPacket}, {@link #post} (control actions run
 * between slices) and the thread-safe gate and stream.
 */
public final class PrimaryDriver {

  /** Instructions per slice: the granularity at which inputs are delivered and the log flushed. */
  public static final long SLICE_INSTRUCTIONS = 20_000;
  /** Client packets waiting for delivery; more are dropped, as a NIC drops them. */
  public static final int INBOX_PACKETS_MAX = 1024;
  /**
   * Longest sleep of an idle guest before the driver looks at its inputs again. Every input, control
   * action and shutdown wakes the driver, and an armed guest timer shortens the sleep, so this only
   * bounds a missed wake-up; each needless one costs an idle primary a slice and its backup a frame.
   */
  static final long IDLE_PARK_NANOS_MAX = 20_000_000;
  /** Sleep between two checks while stalled on a full buffer. */
  public static final long STALL_PARK_NANOS = 100_000;
  /** How long a clean shutdown waits for the backup's ack of the SHUTDOWN entry. */
  public static final long SHUTDOWN_ACK_NANOS_MAX = 3_000_000_000L;

  private static final Logger log = LoggerFactory.getLogger(PrimaryDriver.class);

  /** How the driver ends: a clean shutdown, the guest halted, or the icount limit was reached. */
  public enum Outcome { SHUTDOWN, GUEST_HALTED, LIMIT }

  /** What the driver needs from the node around it. */
  public interface Context {
    long epoch();

    byte[] snapshot(Machine m, ClockFloors floors) throws IOException;

    /** A control action failed or the driver must stop the node now. */
    void halt(int exitCode, String reason);

    /** The state hash at a check point, for the node's event log. */
    void stateHash(long icount, long hash);

    /** A line for the node's notes (a backup attached, a shutdown). */
    void note(String type, Map<String, Object> fields);
  }

  /**
   * What the driver does when the output gate is full in the middle of an instruction (the output must
   * be queued before the instruction retires).
   */
  public interface GateStall {
    /**
     * Waits a little for acks that make room; false when the caller cannot wait (then the output is
     * queued past the gate's bound).
     */
    boolean stall(long icount);
  }

  /** What a turn did: the driver ended ({@code outcome}), or may wait up to {@code waitNanos} for input. */
  public record Turn(Outcome outcome, long waitNanos, boolean idle) {
    static final Turn AGAIN = new Turn(null, 0, false);

    static Turn stalled(long nanos) {
      return new Turn(null, nanos, false);
    }
  }

  private final Machine machine;
  private final LogStream stream;
  private final OutputGate<Held> gate;
  private final FlowControl flow;
  private final HostClock clock;
  private final BlockDisk disk;
  private final boolean sharedDisk;
  private final long hashInterval;
  private final Context ctx;
  private final PrimaryPort port;
  private final Runnable wake;
  private final GateStall gateStall;
  private final BlockingQueue<byte[]> inbox = new ArrayBlockingQueue<>(INBOX_PACKETS_MAX);
  private final Queue<byte[]> diskDone = new ConcurrentLinkedQueue<>();
  private final Queue<Runnable> control = new ConcurrentLinkedQueue<>();
  private volatile long backupIcount;
  private volatile boolean shutdownRequested;
  /** The seq of the SHUTDOWN entry once a shutdown began, and when it stops waiting for its ack. */
  private long shutdownSeq = -1;
  private long shutdownDeadline;
  private long nextHash;
  private long runNanos;
  /** The driver waits (idle guest, flow control) instead of running the guest. */
  private boolean waiting;
  /** The icount at which the driver stops with {@link Outcome#LIMIT}. */
  private long icountLimit = Long.MAX_VALUE;

  public PrimaryDriver(
      Machine machine,
      OutputGate<Held> gate,
      LogStream stream,
      FlowControl flow,
      HostClock clock,
      IntSupplier random,
      BlockDisk disk,
      boolean sharedDisk,
      long hashInterval,
      ClockFloors floors,
      Runnable wake,
      GateStall gateStall,
      Context ctx) {
    this.machine = machine;
    this.gate = gate;
    this.stream = stream;
    this.flow = flow;
    this.clock = clock;
    this.disk = disk;
    this.sharedDisk = sharedDisk;
    this.hashInterval = hashInterval;
    this.ctx = ctx;
    this.wake = wake;
    this.gateStall = gateStall;
    this.port = new PrimaryPort(stream, clock, random, this::output, floors.mtime(), floors.rtc());
    this.nextHash = (machine.icount() / hashInterval + 1) * hashInterval;
    machine.setPort(port);
    stream.backlog(this::backlogged);
  }

  /** An output waiting for the gate, with the time it was offered (for the output-rule latency). */
  public record Held(Event event, long offeredNanos) {}

  /** The clock values a new primary must not go below (the last ones its guest saw). */
  public record ClockFloors(long mtime, long rtc) {
    public static final ClockFloors NONE = new ClockFloors(0, 0);
  }

  // ---- other threads ----

  /** A client request; false when the inbox is full (dropped). */
  public boolean offerPacket(byte[] packet) {
    return inbox.offer(packet);
  }

  /** Wakes the driver for the packets offered: once per burst, not once per packet. */
  public void packetsOffered() {
    wake();
  }

  /** A disk request completed (at once, later, or on another thread: shared-disk writes after the ack). */
  void diskCompleted(byte[] donePayload) {
    diskDone.add(donePayload);
    wake();
  }

  /** Runs {@code action} on the driver thread between two slices. */
  public void post(Runnable action) {
    control.add(action);
    wake();
  }

  /** The backup's latest executed icount, for flow control and the lag figure. */
  public void backupExecuted(long icount) {
    backupIcount = icount;
  }

  public void requestShutdown() {
    shutdownRequested = true;
    wake();
  }

  public long icountApprox() {
    return machine.icount();
  }

  public double lagMs() {
    return stream.attached() ? flow.lagMs(machine.icount(), backupIcount) : 0;
  }

  private void wake() {
    wake.run();
  }

  // ---- the driver thread ----

  /** Attaches a new backup: snapshot at the current icount, then the log from there. */
  public void attachBackup(BackupLink link, String backupId) {
    long t0 = clock.monoNanos();
    byte[] snap;
    try {
      snap = ctx.snapshot(machine, floors());
    } catch (IOException e) {
      log.warn("snapshot for backup {} failed: {}", backupId, e.toString());
      link.close("snapshot failed");
      return;
    }
    long takenUs = (clock.monoNanos() - t0) / 1000;
    stream.attach(link);
    link.sendSnapshot(machine.icount(), snap);
    // acks stay global: outputs still waiting (seq <= the snapshot's) leave at the new backup's first ack
    backupIcount = machine.icount();
    gate.mode(OutputGate.Mode.WITH_BACKUP);
    long pauseUs = (clock.monoNanos() - t0) / 1000;
    log.info("backup {} attached at icount {}: snapshot {} bytes taken in {} us, primary paused {} us",
        backupId, machine.icount(), snap.length, takenUs, pauseUs);
    ctx.note("backup-attached", Map.of("backup", backupId, "icount", machine.icount(),
        "snapshotBytes", snap.length, "takenUs", takenUs, "pauseUs", pauseUs, "epoch", ctx.epoch()));
  }

  /**
   * One step of the driver: control actions, then a shutdown's progress, flow control, or the inputs
   * and one slice of the guest. Never waits.
   */
  public Turn turn() {
    if (shutdownSeq >= 0) {
      return shutdownTurn();
    }
    runControl();
    if (shutdownRequested) {
      startShutdown();
      return shutdownTurn();
    }
    long throttle = throttleNanos();
    if (throttle > 0) {
      return Turn.stalled(throttle);
    }
    if (machine.icount() >= icountLimit) {
      stream.flushAll(machine.icount());
      return new Turn(Outcome.LIMIT, 0, false);
    }
    deliverInputs();
    long ic0 = machine.icount();
    long limit = Math.min(Math.min(ic0 + SLICE_INSTRUCTIONS, nextHash), icountLimit);
    long t0 = clock.monoNanos();
    RunStatus status = machine.run(limit);
    long dt = clock.monoNanos() - t0;
    runNanos += dt;
    flow.sample(machine.icount() - ic0, dt);
    gate.offersDone(); // the records of the outputs released during the slice, in one write
    checkHash();
    stream.flush(machine.icount());
    if (status == RunStatus.HALTED) {
      checkpoint();
      stream.append(Event.ofInt(machine.icount(), EventKind.HALT, machine.exitCode()));
      stream.flushAll(machine.icount());
      return new Turn(Outcome.GUEST_HALTED, 0, false);
    }
    if (status == RunStatus.IDLE) {
      long park = idleNanos();
      if (park > 0) {
        return new Turn(null, park, true);
      }
    }
    return Turn.AGAIN;
  }

  /**
   * The driver waits from now until its next turn: what is batched leaves first, and acks taken
   * meanwhile send at once (no batch ripens through a wait).
   */
  public void waiting(boolean w) {
    waiting = w;
    if (w) {
      stream.sendIfCaughtUp();
    }
  }

  private void runControl() {
    Runnable r;
    while ((r = control.poll()) != null) {
      r.run();
    }
  }

  private void deliverInputs() {
    byte[] done;
    while ((done = diskDone.poll()) != null) {
      deliver(new Event(machine.icount(), EventKind.DISK_DONE, done));
    }
    byte[] p;
    // packets the guest's rx queue has no room for wait in the inbox instead of being dropped
    while (machine.rxRoom() > 0 && (p = inbox.poll()) != null) {
      deliver(new Event(machine.icount(), EventKind.PACKET, p));
    }
    // mtime and mtimecmp are unsigned 64-bit values
    if (!machine.timerPending() && Long.compareUnsigned(port.mtimeNow(), machine.mtimecmp()) >= 0) {
      deliver(Event.of(machine.icount(), EventKind.TIMER));
    }
  }

  private void deliver(Event e) {
    stream.append(e);
    machine.deliver(e);
  }

  private void checkHash() {
    if (machine.icount() >= nextHash) {
      checkpoint();
      nextHash = (machine.icount() / hashInterval + 1) * hashInterval;
    }
  }

  /** Logs the state hash at the current icount: a check point for the backup and for any replay. */
  private void checkpoint() {
    long h = machine.stateHash();
    ctx.stateHash(machine.icount(), h);
    stream.append(Event.ofLong(machine.icount(), EventKind.STATE_HASH, h));
  }

  /** Stops the driver with {@link Outcome#LIMIT} once the guest has run to {@code icount}. */
  public void icountLimit(long icount) {
    icountLimit = icount;
  }

  /** How long an idle guest's driver may wait for input: 0 when an input or the timer is due now. */
  private long idleNanos() {
    if (inputWaiting()) {
      return 0;
    }
    long park = IDLE_PARK_NANOS_MAX;
    if (!machine.timerPending()) {
      long now = port.mtimeNow();
      long cmp = machine.mtimecmp();
      if (Long.compareUnsigned(now, cmp) >= 0) {
        return 0;
      }
      long untilTimerUs = cmp - now; // unsigned: all-ones means never
      if (Long.compareUnsigned(untilTimerUs, park / 1000) < 0) {
        park = untilTimerUs * 1000;
      }
    }
    return park;
  }

  /**
   * Requests wait for the guest, which will run again at once: the log stream lets a batch ripen
   * meanwhile. Never while the driver waits, so nothing stays batched through a sleep.
   */
  private boolean backlogged() {
    return !waiting && (!inbox.isEmpty() || machine.rxWaiting() > 0);
  }

  public boolean inputWaiting() {
    return !inbox.isEmpty() || !diskDone.isEmpty() || !control.isEmpty() || shutdownRequested;
  }

  /** Flow control: a full log buffer stalls; a lagging backup slows the primary down. 0: run on. */
  private long throttleNanos() {
    if (stream.full()) {
      return STALL_PARK_NANOS;
    }
    if (stream.attached()) {
      return flow.pauseMicros(machine.icount(), backupIcount) * 1000;
    }
    return 0;
  }

  /** Called by the port, inside a slice, for every output after its entry is logged. */
  private void output(long seq, Event e) {
    switch (e.kind()) {
      case NIC_TX -> hold(seq, e);
      case DISK_START -> {
        if (sharedDisk && BlockDisk.isWrite(e.payload())) {
          hold(seq, e); // a shared-disk write is an output to the outside world
        } else {
          submitDisk(e.payload());
        }
      }
      default -> { } // console bytes are only logged
    }
  }

  /** Hands a request to the disk; its completion becomes a DISK_DONE input between two slices. */
  private void submitDisk(byte[] start) {
    if (disk == null) {
      diskCompleted(new byte[] {BlockDisk.STATUS_ERROR});
    } else {
      disk.submit(start, this::diskCompleted);
    }
  }

  /** Queues an output for the gate; a full queue stalls the machine (the log keeps flowing). */
  private void hold(long seq, Event e) {
    Held h = new Held(e, clock.monoNanos());
    // TRICKY: this runs inside machine.run, mid-instruction: no control action (a snapshot!) here
    stream.sendIfCaughtUp();
    while (!gate.offer(seq, h)) {
      stream.flushAll(e.icount());
      if (!gateStall.stall(e.icount())) { // waits for the acks that make room
        gate.offerPastBound(seq, h);
        return;
      }
    }
  }

  /** Releases a shared-disk write that the gate let go: execute it, complete it as an input. */
  public void releaseDiskWrite(Event e) {
    submitDisk(e.payload());
  }

  /** A clean shutdown travels as a log entry so the backup shuts down instead of going live. */
  private void startShutdown() {
    checkpoint();
    shutdownSeq = stream.append(Event.of(machine.icount(), EventKind.SHUTDOWN));
    stream.flushAll(machine.icount());
    shutdownDeadline = clock.monoNanos() + SHUTDOWN_ACK_NANOS_MAX;
  }

  /** Waits (bounded) for the backup's ack of the SHUTDOWN entry and the release of every output. */
  private Turn shutdownTurn() {
    if (stream.attached() && (gate.ackedSeq() < shutdownSeq || gate.pendingCount() > 0)
        && clock.monoNanos() < shutdownDeadline) {
      return Turn.stalled(STALL_PARK_NANOS);
    }
    ctx.note("shutdown", Map.of("icount", machine.icount(), "seq", shutdownSeq, "epoch", ctx.epoch()));
    return new Turn(Outcome.SHUTDOWN, 0, false);
  }

  /** Go-live: the disk request the old primary started and never completed runs again here. */
  public void reissueDisk(byte[] start) {
    log.info("reissuing the disk request in flight at icount {}", machine.icount());
    submitDisk(start);
  }

  long runNanos() {
    return runNanos;
  }

  ClockFloors floors() {
    return new ClockFloors(port.mtimeFloor(), port.rtcFloor());
  }
}
