package dev.lockstep.ftvm.sim;

import dev.lockstep.ftvm.ft.BackupLink;
import dev.lockstep.ftvm.ft.BackupListener;
import dev.lockstep.ftvm.ft.PrimaryListener;
import dev.lockstep.ftvm.golive.ConnectionListener;
import dev.lockstep.ftvm.golive.Coordination;
import dev.lockstep.ftvm.golive.GoLiveResult;
import dev.lockstep.ftvm.golive.NodeAddress;
import dev.lockstep.ftvm.golive.PrimaryRecord;
import dev.lockstep.ftvm.golive.ZkUnavailableException;
import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.NodeDisk;
import dev.lockstep.ftvm.node.NodeExit;
import dev.lockstep.ftvm.node.UnsafeBug;
import dev.lockstep.ftvm.node.backup.BackupDriver;
import dev.lockstep.ftvm.node.lifecycle.Lifecycle;
import dev.lockstep.ftvm.node.outputrule.LatencySample;
import dev.lockstep.ftvm.node.outputrule.OutputGate;
import dev.lockstep.ftvm.node.primary.FlowControl;
import dev.lockstep.ftvm.node.primary.LogStream;
import dev.lockstep.ftvm.node.primary.PrimaryDriver;
import dev.lockstep.ftvm.node.records.NodeEventLog;
import dev.lockstep.ftvm.node.records.NodeSnapshot;
import dev.lockstep.ftvm.node.records.ReplayLogSink;
import dev.lockstep.ftvm.node.records.ReplaySegments;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.histories.events.NodeEvent;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One FT node in the simulated world, the twin of {@link dev.lockstep.ftvm.node.host.Node}: the same
 * {@link Lifecycle} (role decisions), {@link PrimaryDriver} and {@link BackupDriver}, log stream,
 * output gate, flow control, snapshot format and machine, run by tasks of a {@link SimProcess} instead
 * of threads, against the simulator's logging channel, client port and coordination twin. Where the
 * real node's thread waits, this one schedules its next turn.
 *
 * <p>Computing costs virtual time: a slice of {@code n} instructions takes {@code n} divided by the
 * node's speed, and the process's clocks run ahead by that much while it computes, so flow control,
 * backup lag and timeouts behave as they do on a real host.
 */
public final class SimulatedNode {

  /** The logging channel as the simulator provides it. */
  public interface Channel {
    /** Opens the primary's side for {@code epoch}; backups that connect are told to {@code l}. */
    Server listen(SimProcess primary, long epoch, PrimaryListener l);

    /** Connects a backup to {@code primaryNode}'s log port. */
    Client connect(SimProcess backup, String primaryNode, long epoch, BackupListener l);
  }

  /** The primary's side of the channel. */
  public interface Server {
    void advanceEpoch(long epoch);

    void close();
  }

  /** The backup's side of the channel. */
  public interface Client {
    void ack(long seq, long executedIcount);

    void close(String reason);
  }

  /** What a simulated node needs of its cluster's settings. */
  public record Settings(Set<UnsafeBug> unsafe, long instructionsPerSecond, long hashInterval, long lagMsMax) {}

  /** Extra cost of a turn that executes nothing, so that no loop stays at one instant. */
  static final long TURN_OVERHEAD_NANOS = 2_000;
  /** Instructions a backup replays in one step before the world gets a turn. */
  static final long BACKUP_STEP_INSTRUCTIONS = PrimaryDriver.SLICE_INSTRUCTIONS;

  private final String id;
  private final SimProcess proc;
  private final Sim sim;
  private final HostClock clock;
  private final Settings s;
  private final byte[] elf;
  private final Channel channel;
  private final SimClientPort clientPort;
  private final NodeEventLog events;
  private final ReplayLogSink replayLog;
  private final SplittableRandom random;
  private final Lifecycle life;
  private final Coordination coord;
  private final NodeDisk disk;

  private boolean ended;
  private int exitCode = -1;
  /** The next turn or step of whichever driver runs, or the next look at the cluster. */
  private Sim.Task task;
  /** The world time until which the node is busy computing what it just ran. */
  private long busyUntil;
  private double speed = 1.0;
  private Machine machine;

  private PrimaryDriver primary;
  /** How often a primary notes its log buffer's count, as the real node's stats interval. */
  static final long STATS_INTERVAL_NANOS = 1_000_000_000L;
  private Server server;
  private boolean primaryWaiting;

  private BackupDriver backup;
  private Client client;
  private boolean backupIdle;
  private Sim.Task snapshotTimeout;

  /** @param coordination makes the node's coordination client, given the listener for its connection states */
  public SimulatedNode(String id, String cluster, SimProcess proc, Settings s, byte[] elf,
      Function<ConnectionListener, Coordination> coordination, Channel channel, SimClientPort clientPort,
      NodeDisk disk, Path dataDir) throws IOException {
    this.id = id;
    this.proc = proc;
    this.sim = proc.sim();
    this.clock = proc.clock();
    this.s = s;
    this.elf = elf;
    this.channel = channel;
    this.clientPort = clientPort;
    this.disk = disk;
    this.random = sim.random().split();
    Files.createDirectories(dataDir);
    this.events = new NodeEventLog(dataDir.resolve("events.jsonl"), id, proc::trueNanos);
    this.replayLog = ReplayLogSink.open(ReplaySegments.next(dataDir), MachineConfig.RAM_BYTES_DEFAULT,
        diskSectors(), elf, false);
    this.life = new Lifecycle(id, cluster, s.unsafe(), events, clock, host());
    this.coord = coordination.apply(life.zkListener());
    life.coordination(coord);
    events.onFull(reason -> life.halt(NodeExit.EVENT_LOG_FULL, reason));
  }

  public String id() {
    return id;
  }

  private long diskSectors() {
    return disk.disk() == null ? 0 : disk.disk().sectors();
  }

  public String role() {
    return ended ? "ended" : life.role();
  }

  public long epoch() {
    return life.epoch();
  }

  /** Whether the node is a live primary with no backup attached. */
  public boolean primaryAlone() {
    return alive() && primary != null && "primary".equals(life.role()) && !life.backupAttached();
  }

  /** The exit code once the node ended, else -1. */
  public int exitCode() {
    return exitCode;
  }

  /** Starts the node: it connects to the coordination service and looks at its cluster. */
  public void start() {
    task = proc.after(0, this::connect);
  }

  /** Runs the guest at {@code factor} of the node's speed from now on: a slow or starved host. */
  public void speed(double factor) {
    if (!(factor > 0)) {
      throw new IllegalArgumentException("speed factor must be positive: " + factor);
    }
    speed = factor;
  }

  private Lifecycle.Host host() {
    return new Lifecycle.Host() {
      @Override
      public void roleTask(Runnable decision) {
        proc.after(0, decision);
      }

      @Override
      public void retryLater(Runnable decision) {
        proc.after(Lifecycle.RETRY_PARK_NANOS, decision);
      }

      @Override
      public NodeAddress me() {
        return new NodeAddress(id, id, 1, 2);
      }

      @Override
      public void advanceEpoch(long epoch) {
        server.advanceEpoch(epoch);
      }

      @Override
      public void stopServing() {
        clientPort.close();
      }

      @Override
      public void exit(int code) {
        finish(code, "halt", false); // Runtime.halt: the ZooKeeper session is not closed, it expires
      }
    };
  }

  private boolean alive() {
    return !ended && !life.halting();
  }

  /** Virtual time {@code instructions} take at the node's speed now. */
  private long nanosFor(long instructions) {
    return (long) (instructions * 1e9 / (s.instructionsPerSecond() * speed));
  }

  /** Runs {@code work} as computing: the process's clocks run ahead by the instructions it executes. */
  private long computing(Runnable work) {
    long ic0 = machine.icount();
    proc.cpu(() -> nanosFor(machine.icount() - ic0));
    try {
      work.run();
    } finally {
      proc.cpu(() -> 0);
    }
    long spent = nanosFor(machine.icount() - ic0) + TURN_OVERHEAD_NANOS;
    busyUntil = sim.now() + spent;
    return spent;
  }

  // ---- finding the cluster ----

  private void connect() {
    task = null;
    if (!alive()) {
      return;
    }
    try {
      coord.start();
    } catch (ZkUnavailableException e) {
      task = proc.after(Lifecycle.RETRY_PARK_NANOS, this::connect);
      return;
    }
    look();
  }

  private void look() {
    task = null;
    if (!alive()) {
      return;
    }
    Lifecycle.Look look = life.look();
    if (look instanceof Lifecycle.Look.Join j) {
      join(j.primary());
    } else if (look instanceof Lifecycle.Look.Boot b) {
      boot(b.epoch());
    } else {
      task = proc.after(Lifecycle.RETRY_PARK_NANOS, this::look);
    }
  }

  private void boot(long epoch) {
    Machine m;
    try {
      m = Machine.boot(elf, MachineConfig.builder().diskSectors(diskSectors()).build(), HostPort.UNATTACHED);
    } catch (ElfException e) {
      finish(NodeExit.USAGE, "guest does not boot: " + e.getMessage(), true);
      return;
    }
    becomePrimary(m, epoch, PrimaryDriver.ClockFloors.NONE);
  }

  // ---- the primary ----

  private void becomePrimary(Machine m, long epoch, PrimaryDriver.ClockFloors floors) {
    machine = m;
    LogStream stream = new LogStream(replayLog, clock::monoNanos, ImmediateEventExecutor.INSTANCE);
    OutputGate<PrimaryDriver.Held> gate = life.gate(clientPort, new LatencySample());
    // one thread runs the acks and the guest: a full gate cannot wait in the middle of an instruction
    primary = new PrimaryDriver(m, gate, stream, new FlowControl(s.lagMsMax()), clock, random::nextInt,
        disk.disk(), disk.shared(), s.hashInterval(), floors, this::wakePrimary, icount -> false,
        life.primaryContext(disk));
    byte[] pendingDisk = m.pendingDiskRequest();
    if (pendingDisk != null) {
      // paper §3.4: I/O the old primary started but whose completion is not in the log is reissued
      PrimaryDriver d = primary;
      d.post(() -> d.reissueDisk(pendingDisk));
    }
    life.primaryStarting(epoch, primary, gate, stream);
    PrimaryDriver driver = primary;
    proc.after(STATS_INTERVAL_NANOS, () -> bufferStats(driver, stream));
    PrimaryListener lifeListener = life.primaryListener();
    server = channel.listen(proc, epoch, new PrimaryListener() {
      @Override
      public void backupConnected(BackupLink link, String backupNodeId) {
        lifeListener.backupConnected(link, backupNodeId);
      }

      @Override
      public void acked(long seq, long executedIcount) {
        if (alive()) {
          lifeListener.acked(seq, executedIcount);
          wakePrimary(); // an ack ends the driver's wait, as it ends the real driver's run of its event loop
        }
      }

      @Override
      public void backupLost(String reason) {
        lifeListener.backupLost(reason);
      }
    });
    publishAndServe(epoch);
  }

  /**
   * The log buffer's count in a {@code primary-stats} note every {@link #STATS_INTERVAL_NANOS} while
   * this driver is the node's primary and has a backup, as the real node writes it (the buffer audit
   * reads it); the real node's other figures are for benchmarks and stay out of the simulator.
   */
  private void bufferStats(PrimaryDriver driver, LogStream stream) {
    if (!alive() || primary != driver) {
      return;
    }
    if (stream.attached()) {
      Map<String, Object> m = new java.util.HashMap<>(stream.unacked().fields());
      m.put("epoch", life.epoch());
      m.put("backup", true);
      events.note("primary-stats", m);
    }
    proc.after(STATS_INTERVAL_NANOS, () -> bufferStats(driver, stream));
  }

  private void publishAndServe(long epoch) {
    task = null;
    if (!alive()) {
      return;
    }
    if (!life.publishPrimary(epoch, NodeExit.STALE_EPOCH, "epoch " + epoch + " is no longer the cluster's epoch")) {
      task = proc.after(Lifecycle.RETRY_PARK_NANOS, () -> publishAndServe(epoch));
      return;
    }
    if (!alive()) {
      return;
    }
    events.role(epoch, NodeEvent.RoleChange.PRIMARY);
    PrimaryDriver d = primary;
    clientPort.open(new SimClientPort.Inbox() {
      @Override
      public boolean offer(byte[] packet) {
        return alive() && d.offerPacket(packet);
      }

      @Override
      public void offered() {
        d.packetsOffered();
      }
    });
    busyUntil = sim.now();
    task = proc.after(0, this::primaryTurn);
  }

  private void primaryTurn() {
    task = null;
    if (!alive()) {
      return;
    }
    if (primaryWaiting) {
      primaryWaiting = false;
      primary.waiting(false);
    }
    PrimaryDriver.Turn[] turn = new PrimaryDriver.Turn[1];
    long spent = computing(() -> turn[0] = primary.turn());
    PrimaryDriver.Turn t = turn[0];
    if (!alive()) {
      return;
    }
    if (t.outcome() != null) {
      clientPort.close();
      if (t.outcome() == PrimaryDriver.Outcome.GUEST_HALTED) {
        guestHalted("");
      } else {
        finish(NodeExit.CLEAN, "clean shutdown at icount " + machine.icount(), true);
      }
      return;
    }
    if (t.waitNanos() > 0) {
      primaryWaiting = true;
      primary.waiting(true);
    }
    task = proc.after(spent + t.waitNanos(), this::primaryTurn);
  }

  /** An input for a waiting primary: its next turn comes as soon as it is done computing. */
  private void wakePrimary() {
    if (primaryWaiting && task != null && alive()) {
      task.cancel();
      primaryWaiting = false;
      primary.waiting(false);
      task = proc.at(Math.max(sim.now(), busyUntil), this::primaryTurn);
    }
  }

  // ---- the backup ----

  private void join(PrimaryRecord p) {
    life.joining(p.epoch());
    BackupDriver b = new BackupDriver(clock, events, replayLog, s.hashInterval(),
        life.has(UnsafeBug.ACK_BEFORE_WRITE), p.epoch());
    backup = b;
    client = channel.connect(proc, p.node().nodeId(), p.epoch(), b);
    b.acker(client::ack);
    b.wakeOn(this::wakeBackup);
    snapshotTimeout = proc.after(Lifecycle.SNAPSHOT_WAIT_NANOS_MAX, () -> notJoined("no snapshot in time"));
  }

  private void notJoined(String why) {
    if (!"joining".equals(life.role()) || !alive()) {
      return;
    }
    snapshotTimeout.cancel();
    client.close(why);
    backup = null;
    client = null;
    life.notJoined();
    task = proc.after(Lifecycle.RETRY_PARK_NANOS, this::look);
  }

  private void wakeBackup() {
    if (!alive() || backup == null) {
      return;
    }
    if ("joining".equals(life.role())) {
      if (backup.snapshotBytes() != null) {
        snapshotTimeout.cancel();
        startBackup();
      } else if (backup.lostReason() != null) {
        notJoined("no snapshot: " + backup.lostReason());
      }
      return;
    }
    if ("backup".equals(life.role()) && backupIdle && task != null) {
      task.cancel();
      backupIdle = false;
      task = proc.at(Math.max(sim.now(), busyUntil), this::backupStep);
    }
  }

  private void startBackup() {
    byte[] snap = backup.snapshotBytes();
    try {
      machine = NodeSnapshot.restore(snap, disk);
      Files.write(replayLog.snapshotFile(), snap);
    } catch (IOException e) {
      client.close("bad snapshot");
      finish(NodeExit.JOIN_FAILED, "snapshot unusable: " + e.getMessage(), true);
      return;
    }
    if (life.has(UnsafeBug.LATE_TIMER)) {
      backup.plantLateTimer();
    }
    backup.start(machine, life.has(UnsafeBug.BACKUP_OWN_CLOCK) ? clock : null, life.backupOutputs(disk));
    events.role(life.epoch(), NodeEvent.RoleChange.BACKUP);
    events.note("snapshot-received",
        Map.of("icount", backup.snapshotIcount(), "bytes", snap.length, "epoch", life.epoch()));
    life.backupStarted();
    busyUntil = sim.now();
    task = proc.after(0, this::backupStep);
  }

  private void backupStep() {
    task = null;
    if (!alive()) {
      return;
    }
    BackupDriver.Step[] step = new BackupDriver.Step[1];
    long spent = computing(() -> step[0] = backup.step(BACKUP_STEP_INSTRUCTIONS));
    BackupDriver.Step st = step[0];
    if (st.outcome() != null) {
      backupEnded(st.outcome());
      return;
    }
    backupIdle = st.idle();
    task = proc.after(spent + (st.idle() ? BackupDriver.WAIT_PARK_NANOS_MAX : 0), this::backupStep);
  }

  private void backupEnded(BackupDriver.Outcome o) {
    client.close("backup done: " + o);
    switch (o) {
      case SHUTDOWN -> {
        events.note("shutdown", Map.of("icount", machine.icount(), "epoch", life.epoch()));
        finish(NodeExit.CLEAN, "the primary shut down cleanly", true);
      }
      case DIVERGED -> life.halt(NodeExit.DIVERGED, "replay diverged: " + backup.divergence());
      case GUEST_HALTED -> finish(NodeExit.GUEST_HALTED, "guest halted", true);
      default -> {
        life.primaryLost(backup.lostReason(), backup.executedIcount());
        goLive();
      }
    }
  }

  /** The primary is gone: win the next epoch, catch up with everything received, and serve. */
  private void goLive() {
    task = null;
    if (!alive()) {
      return;
    }
    GoLiveResult r = life.contend(life.epoch());
    if (r == null) {
      task = proc.after(Lifecycle.RETRY_PARK_NANOS, this::goLive); // never go live without ZooKeeper's word
      return;
    }
    if (!r.won()) {
      life.lostGoLive(r);
      return;
    }
    BackupDriver b = backup;
    boolean[] caughtUp = new boolean[1];
    long spent = computing(() -> caughtUp[0] = b.catchUp());
    if (!caughtUp[0]) {
      if (b.divergence() == null) {
        guestHalted(" while catching up");
      } else {
        life.halt(NodeExit.DIVERGED, "could not catch up with the log: " + b.divergence());
      }
      return;
    }
    backup = null;
    client = null;
    task = proc.after(spent, () -> {
      if (alive()) {
        becomePrimary(b.machine(), r.epoch(), b.floors());
      }
    });
  }

  // ---- endings ----

  private void guestHalted(String when) {
    events.note("guest-halted", Map.of("exitCode", machine.exitCode(), "icount", machine.icount()));
    finish(NodeExit.GUEST_HALTED, "guest halted" + when, true);
  }

  /** A clean stop (SIGTERM): a primary logs a SHUTDOWN entry so its backup shuts down too. */
  public void shutdown() {
    if (primary != null && "primary".equals(life.role()) && alive()) {
      primary.requestShutdown();
    }
  }

  /**
   * SIGKILL: the process dies at once. Its logs keep what it had recorded (the simulated operating
   * system keeps what the process wrote); nothing more is recorded.
   */
  public void kill() {
    if (ended) {
      return;
    }
    ended = true;
    exitCode = SimTarget.KILLED;
    if (task != null) {
      task.cancel();
    }
    closeLogs();
    proc.crash();
  }

  /** The process exits; a clean exit closes its coordination session, a halt leaves it to expire. */
  private void finish(int code, String why, boolean closeSession) {
    if (ended) {
      return;
    }
    ended = true;
    exitCode = code;
    if (task != null) {
      task.cancel();
    }
    if (server != null) {
      server.close();
    }
    if (client != null) {
      client.close(why);
    }
    clientPort.close();
    if (closeSession) {
      coord.close();
    }
    closeLogs();
    proc.crash();
  }

  private void closeLogs() {
    try {
      replayLog.close();
      events.close();
    } catch (IOException e) {
      throw new UncheckedIOException("logs of node " + id, e);
    }
  }

  /** Flushes and closes the node's logs at the end of a run. */
  public void close() {
    if (!ended) {
      ended = true;
      if (task != null) {
        task.cancel();
      }
      closeLogs();
    }
  }
}
