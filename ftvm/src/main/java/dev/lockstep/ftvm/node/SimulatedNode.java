package dev.lockstep.ftvm.node;

import dev.lockstep.ftvm.ft.BackupLink;
import dev.lockstep.ftvm.ft.BackupListener;
import dev.lockstep.ftvm.ft.PrimaryListener;
import dev.lockstep.ftvm.golive.ConnectionListener;
import dev.lockstep.ftvm.golive.Coordination;
import dev.lockstep.ftvm.golive.GoLiveResult;
import dev.lockstep.ftvm.golive.NodeAddress;
import dev.lockstep.ftvm.golive.PrimaryRecord;
import dev.lockstep.ftvm.golive.Reclaim;
import dev.lockstep.ftvm.golive.ZkUnavailableException;
import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.sim.Sim;
import dev.lockstep.ftvm.sim.SimClientPort;
import dev.lockstep.ftvm.sim.SimProcess;
import dev.lockstep.histories.events.NodeEvent;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * One FT node in the simulated world: the node's own primary and backup drivers, log stream, output
 * gate, flow control, snapshot and machine, run by tasks of a {@link SimProcess} instead of threads,
 * against the simulator's logging channel, client port and coordination twin. Its role decisions
 * follow {@link Node}'s step by step (find the cluster, first go-live, join through a snapshot, the
 * test-and-set when the peer is lost, catch-up before serving, the connection states, reclaim, halt).
 *
 * <p>Computing costs virtual time: a slice of {@code n} instructions takes {@code n} divided by the
 * node's speed, so flow control, backup lag and timeouts behave as on a real host.
 */
public final class SimulatedNode {

  /** The logging channel as the simulator provides it. */
  public interface Channel {
    /** Opens the primary's side for {@code epoch}; backups that connect are told to {@code l}. */
    Server listen(SimProcess primary, long epoch, PrimaryListener l);

    /** Connects a backup to {@code primaryNode}'s log port; null when nothing listens there. */
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

  /** Extra cost of a turn that executes nothing, so that no loop stays at one instant. */
  static final long TURN_OVERHEAD_NANOS = 2_000;
  /** Instructions a backup replays in one step before the world gets a turn. */
  static final long BACKUP_STEP_INSTRUCTIONS = PrimaryDriver.SLICE_INSTRUCTIONS;

  private final String id;
  private final SimProcess proc;
  private final Sim sim;
  private final HostClock clock;
  private final SimClusterSettingsView s;
  private final byte[] elf;
  private final Coordination coord;
  private final Channel channel;
  private final SimClientPort clientPort;
  private final Path dataDir;
  private final NodeEventLog events;
  private final ReplayLogSink replayLog;
  private final SplittableRandom random;
  private final IntConsumer onExit;

  private String role = "starting";
  private long epoch;
  private boolean halting;
  private boolean ended;
  private int exitCode = -1;
  private boolean zkUp = true;
  private boolean zkSessionLost;
  private Sim.Task task;

  private Machine machine;
  private PrimaryDriver primary;
  private OutputGate<PrimaryDriver.Held> gate;
  private LogStream stream;
  private Server server;
  private BackupLink currentLink;
  private boolean deciding;
  private boolean primaryWaiting;
  private long busyUntil;
  private double speed = 1.0;

  private BackupDriver backup;
  private Client client;
  private boolean backupIdle;
  private Sim.Task snapshotTimeout;

  /** What a simulated node needs of its cluster's settings. */
  public record SimClusterSettingsView(
      java.util.Set<UnsafeBug> unsafe, long instructionsPerSecond, long hashInterval, long lagMsMax) {}

  /**
   * @param coordination makes the node's coordination session, given the listener for its connection states
   * @param onExit told the exit code when the node ends (halt, guest halt, clean shutdown)
   */
  public SimulatedNode(String id, SimProcess proc, SimClusterSettingsView s, byte[] elf,
      Function<ConnectionListener, Coordination> coordination, Channel channel, SimClientPort clientPort,
      Path dataDir, IntConsumer onExit) throws IOException {
    this.id = id;
    this.proc = proc;
    this.sim = proc.sim();
    this.clock = proc.clock();
    this.s = s;
    this.elf = elf;
    this.channel = channel;
    this.clientPort = clientPort;
    this.dataDir = dataDir;
    this.onExit = onExit;
    this.random = sim.random().split();
    Files.createDirectories(dataDir);
    this.events = new NodeEventLog(dataDir.resolve("events.jsonl"), id, proc::trueNanos);
    this.replayLog = ReplayLogSink.open(ReplaySegments.next(dataDir), MachineConfig.RAM_BYTES_DEFAULT, 0, elf);
    this.coord = coordination.apply(zkListener());
    events.onFull(reason -> halt(NodeExit.EVENT_LOG_FULL, reason));
  }

  public String id() {
    return id;
  }

  public String role() {
    return role;
  }

  public long epoch() {
    return epoch;
  }

  /** The exit code once the node ended, else -1. */
  public int exitCode() {
    return exitCode;
  }

  /** Starts the node: it looks at its cluster at once. */
  public void start() {
    task = proc.after(0, this::connect);
  }

  /** Starts the coordination session, retrying while ZooKeeper is unreachable, then looks at the cluster. */
  private void connect() {
    task = null;
    if (halting || ended) {
      return;
    }
    try {
      coord.start();
    } catch (ZkUnavailableException e) {
      task = proc.after(Node.RETRY_PARK_NANOS, this::connect);
      return;
    }
    look();
  }

  private boolean has(UnsafeBug b) {
    return s.unsafe().contains(b);
  }

  private long cost(long instructions) {
    return nanosFor(instructions) + TURN_OVERHEAD_NANOS;
  }

  /** Virtual time {@code instructions} take at the node's speed now. */
  private long nanosFor(long instructions) {
    return (long) (instructions * 1e9 / (s.instructionsPerSecond() * speed));
  }

  /** Runs the guest at {@code factor} of the node's speed from now on: a slow or starved host. */
  public void speed(double factor) {
    if (!(factor > 0)) {
      throw new IllegalArgumentException("speed factor must be positive: " + factor);
    }
    speed = factor;
  }

  // ---- finding the cluster ----

  private void look() {
    task = null;
    if (halting || ended) {
      return;
    }
    Optional<PrimaryRecord> p = coord.primary();
    if (p.isPresent() && !p.get().node().nodeId().equals(id)) {
      join(p.get());
      return;
    }
    if (p.isEmpty()) {
      try {
        if (coord.readEpoch() == Node.NEW_CLUSTER_EPOCH && tryFirstGoLive()) {
          return;
        }
      } catch (ZkUnavailableException e) {
        // wait for ZooKeeper, as the real node does
      }
    }
    task = proc.after(Node.RETRY_PARK_NANOS, this::look);
  }

  /** A new cluster: contend for epoch 1 and boot the guest fresh; false to look again later. */
  private boolean tryFirstGoLive() throws ZkUnavailableException {
    events.goLiveAttempt(Node.NEW_CLUSTER_EPOCH);
    GoLiveResult r = coord.tryGoLive(Node.NEW_CLUSTER_EPOCH);
    events.goLiveResult(r.epoch(), r.won(), detail(r));
    if (!r.won()) {
      return false;
    }
    Machine m;
    try {
      m = Machine.boot(elf, MachineConfig.builder().build(), NO_PORT);
    } catch (ElfException e) {
      end(NodeExit.USAGE, "guest does not boot: " + e.getMessage());
      return true;
    }
    becomePrimary(m, r.epoch(), PrimaryDriver.ClockFloors.NONE);
    return true;
  }

  private static final dev.lockstep.ftvm.replay.HostPort NO_PORT =
      new dev.lockstep.ftvm.replay.HostPort() {
        @Override
        public long readClock(long icount, EventKind kind) {
          throw new IllegalStateException("no driver attached");
        }

        @Override
        public int readRandom(long icount) {
          throw new IllegalStateException("no driver attached");
        }

        @Override
        public void output(long icount, EventKind kind, byte[] payload) {
          throw new IllegalStateException("no driver attached");
        }
      };

  // ---- the primary ----

  private void becomePrimary(Machine m, long newEpoch, PrimaryDriver.ClockFloors floors) {
    epoch = newEpoch;
    machine = m;
    stream = new LogStream(replayLog, clock::monoNanos, ImmediateEventExecutor.INSTANCE);
    gate = new OutputGate<>(OutputGate.Mode.ALONE, releaser(), OutputGate.PENDING_OUTPUTS_MAX,
        has(UnsafeBug.SKIP_OUTPUT_RULE));
    gate.zkConnected(zkUp && !zkSessionLost);
    // the simulator runs acks and the guest on one thread: a full gate cannot wait mid-instruction
    primary = new PrimaryDriver(m, gate, stream, new FlowControl(s.lagMsMax()), clock, random::nextInt, events,
        null, false, s.hashInterval(), floors, this::wakePrimary, icount -> false, primaryContext());
    server = channel.listen(proc, newEpoch, primaryListener());
    role = "primary";
    publishAndServe(newEpoch);
  }

  private void publishAndServe(long e) {
    if (halting) {
      return;
    }
    try {
      if (!coord.publishPrimary(me(), e) && !has(UnsafeBug.NO_GOLIVE_LOCK)) {
        halt(NodeExit.STALE_EPOCH, "epoch " + e + " is no longer the cluster's epoch");
        return;
      }
    } catch (ZkUnavailableException ex) {
      task = proc.after(Node.RETRY_PARK_NANOS, () -> publishAndServe(e));
      return;
    }
    events.role(e, NodeEvent.RoleChange.PRIMARY);
    clientPort.open(new SimClientPort.Inbox() {
      @Override
      public boolean offer(byte[] packet) {
        return !halting && primary.offerPacket(packet);
      }

      @Override
      public void offered() {
        primary.packetsOffered();
      }
    });
    busyUntil = sim.now();
    task = proc.after(0, this::primaryTurn);
  }

  private NodeAddress me() {
    return new NodeAddress(id, id, 1, 2);
  }

  private void primaryTurn() {
    task = null;
    if (halting || ended) {
      return;
    }
    if (primaryWaiting) {
      primaryWaiting = false;
      primary.waiting(false);
    }
    long ic0 = machine.icount();
    proc.cpu(() -> nanosFor(machine.icount() - ic0));
    PrimaryDriver.Turn t;
    try {
      t = primary.turn();
    } finally {
      proc.cpu(() -> 0);
    }
    if (halting) {
      return;
    }
    long spent = cost(machine.icount() - ic0);
    busyUntil = sim.now() + spent;
    if (t.outcome() != null) {
      clientPort.close();
      if (t.outcome() == PrimaryDriver.Outcome.GUEST_HALTED) {
        guestHalted("");
      } else {
        end(NodeExit.CLEAN, "clean shutdown at icount " + machine.icount());
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
    if (primaryWaiting && task != null && !halting) {
      task.cancel();
      primaryWaiting = false;
      primary.waiting(false);
      task = proc.at(Math.max(sim.now(), busyUntil), this::primaryTurn);
    }
  }

  private PrimaryDriver.Context primaryContext() {
    return new PrimaryDriver.Context() {
      @Override
      public long epoch() {
        return epoch;
      }

      @Override
      public byte[] snapshot(Machine m, PrimaryDriver.ClockFloors floors) throws IOException {
        return NodeSnapshot.write(m, floors.mtime(), floors.rtc(), null);
      }

      @Override
      public void halt(int exitCode, String reason) {
        SimulatedNode.this.halt(exitCode, reason);
      }
    };
  }

  private OutputGate.Releaser<PrimaryDriver.Held> releaser() {
    return new OutputGate.Releaser<>() {
      @Override
      public void release(long seq, PrimaryDriver.Held held, boolean acked) {
        if (halting) {
          return;
        }
        Event out = held.event();
        if (out.kind() == EventKind.NIC_TX) {
          clientPort.reply(out.payload());
          events.released(epoch, out.payload(), acked);
        } else if (out.kind() == EventKind.DISK_START) {
          primary.releaseDiskWrite(out);
        }
      }

      @Override
      public void burstDone() {
        clientPort.repliesDone();
        events.flushReleased();
      }
    };
  }

  private PrimaryListener primaryListener() {
    return new PrimaryListener() {
      @Override
      public void backupConnected(BackupLink link, String backupNodeId) {
        if (deciding || halting) {
          link.close("primary is deciding whether to go on alone; retry");
          return;
        }
        currentLink = link;
        primary.post(() -> {
          if (currentLink == link && !deciding && !halting) {
            primary.attachBackup(link, backupNodeId);
          }
        });
      }

      @Override
      public void acked(long seq, long executedIcount) {
        if (halting) {
          return;
        }
        gate.acked(stream.acked(seq));
        primary.backupExecuted(executedIcount);
        wakePrimary(); // an ack ends the driver's wait, as it ends the real driver's run of its event loop
      }

      @Override
      public void backupLost(String reason) {
        backupGone(reason);
      }
    };
  }

  private void backupGone(String reason) {
    boolean wasAttached = stream.attached();
    currentLink = null;
    stream.detach(null);
    if (!wasAttached || halting) {
      return;
    }
    deciding = true;
    gate.mode(OutputGate.Mode.HELD);
    events.note("backup-lost", Map.of("reason", reason, "epoch", epoch));
    events.goLiveAttempt(epoch);
    decideAlone();
  }

  /** A primary that lost its backup goes on alone only if it wins the next epoch. */
  private void decideAlone() {
    if (halting) {
      return;
    }
    GoLiveResult r = contendOnce(epoch);
    if (r == null) {
      proc.after(Node.RETRY_PARK_NANOS, this::decideAlone);
      return;
    }
    if (!r.won()) {
      halt(NodeExit.LOST_GOLIVE, "lost go-live for epoch " + (epoch + 1) + " to " + detail(r));
      return;
    }
    epoch = r.epoch();
    server.advanceEpoch(r.epoch());
    republishAlone(r.epoch());
  }

  private void republishAlone(long e) {
    if (halting) {
      return;
    }
    try {
      coord.publishPrimary(me(), e);
    } catch (ZkUnavailableException ex) {
      proc.after(Node.RETRY_PARK_NANOS, () -> republishAlone(e));
      return;
    }
    events.role(e, NodeEvent.RoleChange.PRIMARY);
    deciding = false;
    gate.mode(OutputGate.Mode.ALONE);
  }

  /**
   * One test-and-set attempt for the epoch after {@code observed}; null while ZooKeeper is unreachable
   * (the caller tries again later: never go live without its word).
   */
  private GoLiveResult contendOnce(long observed) {
    try {
      GoLiveResult r;
      if (has(UnsafeBug.NO_GOLIVE_LOCK)) {
        r = coord.tryGoLive(coord.epoch()); // planted bug: take whatever epoch is current, whoever holds it
        if (!r.won()) {
          return null;
        }
      } else {
        r = coord.tryGoLive(observed);
      }
      events.goLiveResult(r.epoch(), r.won(), detail(r));
      if (r.won()) {
        zkSessionLost = false;
        gateZk(true);
      }
      return r;
    } catch (ZkUnavailableException e) {
      return null;
    }
  }

  private static String detail(GoLiveResult r) {
    return r instanceof GoLiveResult.Lost l ? "winner " + l.winner() + " in epoch " + l.epoch() : "won epoch " + r.epoch();
  }

  // ---- the backup ----

  private void join(PrimaryRecord p) {
    epoch = p.epoch();
    BackupDriver b =
        new BackupDriver(clock, events, replayLog, s.hashInterval(), has(UnsafeBug.ACK_BEFORE_WRITE), p.epoch());
    Client c = channel.connect(proc, p.node().nodeId(), p.epoch(), b);
    if (c == null) {
      task = proc.after(Node.RETRY_PARK_NANOS, this::look);
      return;
    }
    backup = b;
    client = c;
    role = "joining";
    b.acker(c::ack);
    b.wakeOn(this::wakeBackup);
    snapshotTimeout = proc.after(Node.SNAPSHOT_WAIT_NANOS_MAX, () -> joinFailed("no snapshot in time"));
    if (b.snapshotBytes() != null || b.lostReason() != null) {
      wakeBackup();
    }
  }

  private void joinFailed(String why) {
    if (!"joining".equals(role) || halting) {
      return;
    }
    client.close(why);
    backup = null;
    client = null;
    role = "starting";
    snapshotTimeout.cancel();
    task = proc.after(Node.RETRY_PARK_NANOS, this::look);
  }

  private void wakeBackup() {
    if (halting || ended) {
      return;
    }
    if ("joining".equals(role)) {
      if (backup.snapshotBytes() != null) {
        snapshotTimeout.cancel();
        startBackup();
      } else if (backup.lostReason() != null) {
        joinFailed("no snapshot: " + backup.lostReason());
      }
      return;
    }
    if ("backup".equals(role) && backupIdle && task != null) {
      task.cancel();
      backupIdle = false;
      task = proc.at(Math.max(sim.now(), busyUntil), this::backupStep);
    }
  }

  private void startBackup() {
    byte[] snap = backup.snapshotBytes();
    Machine m;
    try {
      m = NodeSnapshot.read(snap, NO_PORT).machine();
    } catch (IOException e) {
      client.close("bad snapshot");
      end(NodeExit.JOIN_FAILED, "snapshot unusable: " + e.getMessage());
      return;
    }
    try {
      Files.write(replayLog.snapshotFile(), snap);
    } catch (IOException e) {
      throw new UncheckedIOException("snapshot of node " + id, e);
    }
    machine = m;
    backup.start(m, has(UnsafeBug.BACKUP_OWN_CLOCK) ? clock : null, this::suppressed);
    role = "backup";
    events.role(epoch, NodeEvent.RoleChange.BACKUP);
    events.note("snapshot-received", Map.of("icount", backup.snapshotIcount(), "bytes", snap.length, "epoch", epoch));
    publishBackup();
    busyUntil = sim.now();
    task = proc.after(0, this::backupStep);
  }

  private void publishBackup() {
    try {
      coord.publishBackup(me(), epoch);
    } catch (ZkUnavailableException e) {
      // as the real node: the record is only for people and tools
    }
  }

  private void suppressed(Event e) {
    if (e.kind() == EventKind.NIC_TX) {
      events.suppressed(epoch, e.payload());
    }
  }

  private void backupStep() {
    task = null;
    if (halting || ended) {
      return;
    }
    long ic0 = machine.icount();
    proc.cpu(() -> nanosFor(machine.icount() - ic0));
    BackupDriver.Step st;
    try {
      st = backup.step(BACKUP_STEP_INSTRUCTIONS);
    } finally {
      proc.cpu(() -> 0);
    }
    long spent = cost(machine.icount() - ic0);
    busyUntil = sim.now() + spent;
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
        events.note("shutdown", Map.of("icount", machine.icount(), "epoch", epoch));
        end(NodeExit.CLEAN, "the primary shut down cleanly");
      }
      case DIVERGED -> halt(NodeExit.DIVERGED, "replay diverged: " + backup.divergence());
      case GUEST_HALTED -> end(NodeExit.GUEST_HALTED, "guest halted");
      default -> {
        events.note("primary-lost", Map.of("reason", String.valueOf(backup.lostReason()), "epoch", epoch,
            "icount", backup.executedIcount()));
        events.goLiveAttempt(epoch);
        role = "going-live";
        goLive();
      }
    }
  }

  /** The primary is gone: win the next epoch, catch up with everything received, and serve. */
  private void goLive() {
    if (halting) {
      return;
    }
    GoLiveResult r = contendOnce(epoch);
    if (r == null) {
      task = proc.after(Node.RETRY_PARK_NANOS, this::goLive);
      return;
    }
    if (!r.won()) {
      halt(NodeExit.LOST_GOLIVE, "lost go-live for epoch " + (epoch + 1) + " to " + detail(r));
      return;
    }
    long ic0 = machine.icount();
    proc.cpu(() -> nanosFor(machine.icount() - ic0));
    boolean caughtUp;
    try {
      caughtUp = backup.catchUp();
    } finally {
      proc.cpu(() -> 0);
    }
    if (!caughtUp) {
      if (backup.divergence() == null) {
        guestHalted(" while catching up");
      } else {
        halt(NodeExit.DIVERGED, "could not catch up with the log: " + backup.divergence());
      }
      return;
    }
    BackupDriver b = backup;
    backup = null;
    client = null;
    task = proc.after(cost(machine.icount() - ic0), () -> becomePrimary(b.machine(), r.epoch(), b.floors()));
  }

  // ---- ZooKeeper connection states: as Node's ----

  private ConnectionListener zkListener() {
    return new ConnectionListener() {
      @Override
      public void suspended() {
        zkUp = false;
        gateZk(false);
      }

      @Override
      public void reconnected() {
        zkUp = true;
        if (zkSessionLost) {
          reclaim();
        } else {
          gateZk(true);
        }
      }

      @Override
      public void lost() {
        zkUp = false;
        zkSessionLost = true;
        gateZk(false);
        events.note("zk-session-lost", Map.of("role", role, "epoch", epoch));
      }
    };
  }

  private void gateZk(boolean connected) {
    if (gate != null) {
      gate.zkConnected(connected && zkUp && !zkSessionLost);
    }
  }

  private void reclaim() {
    if (halting || ended) {
      return;
    }
    if (!zkSessionLost) {
      gateZk(true);
      return;
    }
    if (!"primary".equals(role)) {
      zkSessionLost = false;
      if ("backup".equals(role)) {
        publishBackup();
      }
      return;
    }
    long e = epoch;
    Reclaim r;
    try {
      r = coord.reclaimGoLive(e);
    } catch (ZkUnavailableException ex) {
      proc.after(Node.RETRY_PARK_NANOS, this::reclaim);
      return;
    }
    if (r != Reclaim.HELD) {
      halt(NodeExit.ZK_SESSION_LOST, "ZooKeeper session was lost and epoch " + e + " is no longer this node's ("
          + r + "): another node may be live");
      return;
    }
    try {
      if (!coord.publishPrimary(me(), e) && !has(UnsafeBug.NO_GOLIVE_LOCK)) {
        halt(NodeExit.ZK_SESSION_LOST, "ZooKeeper session was lost and epoch " + e + " could not be published again");
        return;
      }
    } catch (ZkUnavailableException ex) {
      proc.after(Node.RETRY_PARK_NANOS, this::reclaim);
      return;
    }
    events.note("zk-session-reclaimed", Map.of("epoch", e));
    zkSessionLost = false;
    gateZk(true);
  }

  // ---- endings ----

  private void guestHalted(String when) {
    events.note("guest-halted", Map.of("exitCode", machine.exitCode(), "icount", machine.icount()));
    end(NodeExit.GUEST_HALTED, "guest halted" + when);
  }

  /** Stops the node at once without releasing one more output. */
  public void halt(int code, String reason) {
    if (halting || ended) {
      return;
    }
    halting = true;
    int dropped = gate == null ? 0 : gate.discard();
    clientPort.close();
    events.note("halt", Map.of("exitCode", code, "reason", reason, "epoch", epoch, "unreleased", dropped));
    events.role(epoch, NodeEvent.RoleChange.HALTED);
    // Runtime.halt: the ZooKeeper session is not closed, it expires
    finish(code, reason, false);
  }

  /** A clean stop (SIGTERM): a primary logs a SHUTDOWN entry so its backup shuts down too. */
  public void shutdown() {
    if (primary != null && "primary".equals(role) && !halting && !ended) {
      primary.requestShutdown();
    }
  }

  /**
   * SIGKILL. The logs are flushed as they stand (the simulated operating system keeps what the
   * process wrote); nothing more is recorded.
   */
  public void kill() {
    if (ended) {
      return;
    }
    ended = true;
    exitCode = 137;
    if (task != null) {
      task.cancel();
    }
    proc.crash();
    closeLogs();
  }

  private void end(int code, String why) {
    finish(code, why, true);
  }

  /** The process exits; a clean exit closes its ZooKeeper session, a halt leaves it to expire. */
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
    proc.crash(); // the process exits
    onExit.accept(code);
  }

  private void closeLogs() {
    try {
      replayLog.close();
    } catch (IOException e) {
      throw new UncheckedIOException("replay log of node " + id, e);
    }
    try {
      events.close();
    } catch (IOException e) {
      throw new UncheckedIOException("event log of node " + id, e);
    }
  }

  /** Flushes the node's logs at the end of a run. */
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
