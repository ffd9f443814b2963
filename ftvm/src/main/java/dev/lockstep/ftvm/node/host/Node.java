package dev.lockstep.ftvm.node.host;

import dev.lockstep.ftvm.ft.ChannelSettings;
import dev.lockstep.ftvm.ft.ListenFailedException;
import dev.lockstep.ftvm.ft.LogClient;
import dev.lockstep.ftvm.ft.LogServer;
import dev.lockstep.ftvm.ft.Transport;
import dev.lockstep.ftvm.golive.Coordination;
import dev.lockstep.ftvm.golive.Coordinator;
import dev.lockstep.ftvm.golive.GoLiveResult;
import dev.lockstep.ftvm.golive.NodeAddress;
import dev.lockstep.ftvm.golive.PrimaryRecord;
import dev.lockstep.ftvm.golive.ZkAccessDeniedException;
import dev.lockstep.ftvm.golive.ZkAuth;
import dev.lockstep.ftvm.golive.ZkUnavailableException;
import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.HostDisk;
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
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.EventSink;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.histories.events.NodeEvent;
import io.netty.channel.ManualIoEventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FT node: finds its cluster in ZooKeeper, becomes the primary (first node, or a backup that won
 * go-live) or joins the live primary as its backup, and runs the matching driver. Owns the
 * coordinator, the logging-channel endpoint, the client port and the event log; every decision that
 * needs ZooKeeper's word is its {@link Lifecycle}'s.
 */
public final class Node {

  /** How long a node waits for ZooKeeper at start before it gives up. */
  static final long START_ZK_WAIT_NANOS_MAX = 60_000_000_000L;
  /** How long a joining backup keeps trying to attach to the live primary. */
  static final long JOIN_NANOS_MAX = 60_000_000_000L;
  /** How often a primary writes its figures to the notes. */
  static final long STATS_INTERVAL_MS = 1000;
  /** How long a node that ends lets its logging channel's event loop finish the closes before stopping it. */
  static final long LOG_IO_SHUTDOWN_NANOS = 500_000_000L;

  /** Ends the process at once, skipping shutdown hooks (tests keep their JVM and record the code). */
  interface Halter {
    void halt(int exitCode);
  }

  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final NodeSettings s;
  private final HostClock clock;
  private final NodeEventLog events;
  private final EventSink replayLog;
  private final NodeDisk disk;
  private final ExecutorService roleExec =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "node-role"));
  private Coordination coordinator;
  private Lifecycle life;
  private ClientPortServer clientPort;
  private volatile LogServer logServer;
  /** The logging channel's event loop while primary, run by the primary driver's thread. */
  private volatile ManualIoEventLoop logIo;
  private volatile PrimaryDriver primary;
  private volatile OutputGate<PrimaryDriver.Held> gate;
  private volatile LogStream stream;
  private volatile boolean stopRequested;
  private final LatencySample ruleLatency = new LatencySample();
  private final java.util.concurrent.ScheduledExecutorService statsExec =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-stats");
        t.setDaemon(true);
        return t;
      });
  private final Halter halter;
  private final Object logsLock = new Object();
  private boolean logsClosed;
  private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

  public Node(NodeSettings s, HostClock clock, NodeEventLog events, EventSink replayLog, HostDisk disk) {
    this(s, clock, events, replayLog, disk, code -> Runtime.getRuntime().halt(code));
  }

  Node(NodeSettings s, HostClock clock, NodeEventLog events, EventSink replayLog, HostDisk disk, Halter halter) {
    this.s = s;
    this.clock = clock;
    this.events = events;
    this.replayLog = replayLog;
    this.disk = new NodeDisk(disk, s.disk() == NodeSettings.DiskMode.LOCAL);
    this.halter = halter;
    events.onFull(reason -> halt(NodeExit.EVENT_LOG_FULL, reason));
  }

  private long epoch() {
    return life == null ? 0 : life.epoch();
  }

  private boolean halting() {
    return life != null && life.halting();
  }

  /**
   * Runs the node to its end; returns the process exit code (halts exit the process directly). On
   * every way out the event log and the replay log are flushed and closed.
   */
  public int run() throws InterruptedException {
    try {
      return runNode();
    } catch (ListenFailedException e) {
      log.error("node {}: {}", s.id(), e.getMessage());
      events.note("listen-failed", Map.of("error", e.getMessage(), "epoch", epoch()));
      return NodeExit.PORT_UNAVAILABLE;
    } catch (ZkAccessDeniedException e) {
      log.error("node {}: {}", s.id(), e.getMessage());
      events.note("zk-access-denied", Map.of("path", e.path(), "epoch", epoch()));
      return NodeExit.ZK_ACCESS_DENIED;
    } catch (RuntimeException | Error e) {
      if (halting()) {
        throw e;
      }
      log.error("node {}: internal error: {}", s.id(), e.toString(), e);
      events.note("internal-error", Map.of("error", e.toString(), "epoch", epoch()));
      return NodeExit.INTERNAL;
    } finally {
      closeAll();
      ended.countDown();
    }
  }

  private int runNode() throws InterruptedException {
    clientPort = ClientPortServer.start(new InetSocketAddress(s.host(), s.clientPort()), new ClientPortServer.ClientInbox() {
      @Override
      public boolean offer(byte[] packet) {
        PrimaryDriver d = primary;
        return d != null && d.offerPacket(packet);
      }

      @Override
      public void offered() {
        PrimaryDriver d = primary;
        if (d != null) {
          d.packetsOffered();
        }
      }
    }, s.tls());
    life = new Lifecycle(s.id(), s.cluster(), s.unsafe(), events, clock, lifecycleHost());
    coordinator = new Coordinator(s.zk(), s.cluster(), s.id(), s.zkSessionTimeout(), life.zkListener(),
        ZkAuth.fromSecret(ChannelSettings.secretOf(s.secret()), s.cluster()));
    life.coordination(coordinator);
    if (!startCoordinator()) {
      return NodeExit.JOIN_FAILED;
    }
    long deadline = clock.monoNanos() + JOIN_NANOS_MAX;
    while (clock.monoNanos() < deadline && !stopRequested) {
      Lifecycle.Look look = life.look();
      Integer exit = null;
      if (look instanceof Lifecycle.Look.Join j) {
        exit = joinAsBackup(j.primary());
      } else if (look instanceof Lifecycle.Look.Boot b) {
        exit = bootAndServe(b.epoch());
      }
      if (exit != null) {
        return exit;
      }
      LockSupport.parkNanos(Lifecycle.RETRY_PARK_NANOS);
    }
    if (stopRequested) {
      log.info("node {}: stopped before it joined cluster {}", s.id(), s.cluster());
      return NodeExit.CLEAN;
    }
    log.error("node {}: could not become primary or backup of cluster {} within {} s",
        s.id(), s.cluster(), JOIN_NANOS_MAX / 1_000_000_000L);
    events.note("join-failed", Map.of("epoch", coordinator.epoch(), "waitedS", JOIN_NANOS_MAX / 1_000_000_000L));
    return NodeExit.JOIN_FAILED;
  }

  private boolean startCoordinator() {
    long deadline = clock.monoNanos() + START_ZK_WAIT_NANOS_MAX;
    while (true) {
      try {
        coordinator.start();
        return true;
      } catch (ZkUnavailableException e) {
        if (clock.monoNanos() > deadline) {
          log.error("node {}: ZooKeeper at {} unreachable: {}", s.id(), s.zk(), e.getMessage());
          return false;
        }
        log.warn("node {}: waiting for ZooKeeper at {}: {}", s.id(), s.zk(), e.getMessage());
        LockSupport.parkNanos(Lifecycle.RETRY_PARK_NANOS);
      }
    }
  }

  // ---- becoming primary ----

  /** This node won the first epoch of a new cluster: boot the guest fresh and serve. */
  private Integer bootAndServe(long newEpoch) {
    Machine m;
    try {
      m = Machine.boot(s.elf(), machineConfig(), HostPort.UNATTACHED);
    } catch (ElfException e) {
      log.error("node {}: guest {} does not boot: {}", s.id(), s.guest(), e.getMessage());
      return NodeExit.USAGE;
    }
    return runPrimary(m, newEpoch, PrimaryDriver.ClockFloors.NONE);
  }

  private MachineConfig machineConfig() {
    return MachineConfig.builder()
        .diskSectors(disk.disk() == null ? 0 : disk.disk().sectors())
        .build();
  }

  private int runPrimary(Machine m, long newEpoch, PrimaryDriver.ClockFloors floors) {
    // the logging channel's event loop runs on this thread, the driver's
    ManualIoEventLoop io = new ManualIoEventLoop(Thread.currentThread(), Transport.ioHandlers());
    logIo = io;
    LogStream st = new LogStream(replayLog, clock::monoNanos, io);
    OutputGate<PrimaryDriver.Held> g = life.gate(clientPort, ruleLatency);
    SecureRandom rng = new SecureRandom();
    PrimaryDriver d =
        new PrimaryDriver(m, g, st, new FlowControl(s.lagMsMax()), clock, rng::nextInt, disk.disk(),
            disk.shared(), s.hashInterval(), floors, io::wakeup,
            PrimaryLoop.gateStall(io), life.primaryContext(disk));
    byte[] pendingDisk = m.pendingDiskRequest();
    if (pendingDisk != null) {
      // paper §3.4: I/O the old primary started but whose completion is not in the log is reissued
      d.post(() -> d.reissueDisk(pendingDisk));
    }
    stream = st;
    gate = g;
    primary = d;
    life.primaryStarting(newEpoch, d, g, st);
    logServer =
        LogServer.start(new InetSocketAddress(s.host(), s.logPort()), channel(newEpoch), s.id(),
            life.primaryListener(), io);
    while (!life.publishPrimary(newEpoch, NodeExit.STALE_EPOCH,
        "epoch " + newEpoch + " is no longer the cluster's epoch")) {
      LockSupport.parkNanos(Lifecycle.RETRY_PARK_NANOS);
    }
    events.role(newEpoch, NodeEvent.RoleChange.PRIMARY);
    clientPort.accepting(true);
    log.info("node {}: primary of cluster {} epoch {} (clients {}, log {}, {} transport)",
        s.id(), s.cluster(), newEpoch, me().clientPort(), me().logPort(), Transport.name());
    statsExec.scheduleAtFixedRate(this::stats, STATS_INTERVAL_MS, STATS_INTERVAL_MS, TimeUnit.MILLISECONDS);
    PrimaryDriver.Outcome o = new PrimaryLoop(d, io, clock).run();
    clientPort.accepting(false);
    if (o == PrimaryDriver.Outcome.GUEST_HALTED) {
      return guestHalted(m, "");
    }
    log.info("node {}: clean shutdown at icount {}", s.id(), m.icount());
    return NodeExit.CLEAN;
  }

  /** What the lifecycle needs of a real node: its role thread, timers, addresses and exit. */
  private Lifecycle.Host lifecycleHost() {
    return new Lifecycle.Host() {
      @Override
      public void roleTask(Runnable decision) {
        Node.this.roleTask(decision);
      }

      @Override
      public void retryLater(Runnable decision) {
        try {
          statsExec.schedule(() -> Node.this.roleTask(decision), Lifecycle.RETRY_PARK_NANOS, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ending) {
          // the node is ending: no decision is needed any more
        }
      }

      @Override
      public NodeAddress me() {
        return Node.this.me();
      }

      @Override
      public void advanceEpoch(long epoch) {
        logServer.advanceEpoch(epoch);
      }

      @Override
      public void stopServing() {
        if (clientPort != null) {
          clientPort.accepting(false);
        }
      }

      @Override
      public void exit(int exitCode) {
        closeLogs();
        halter.halt(exitCode);
      }
    };
  }

  private NodeAddress me() {
    int cp = s.advertiseClientPort() != 0 ? s.advertiseClientPort() : clientPort.address().getPort();
    LogServer ls = logServer;
    int lp = s.advertiseLogPort() != 0 ? s.advertiseLogPort() : (ls == null ? 1 : ls.address().getPort());
    return new NodeAddress(s.id(), s.host(), cp, lp);
  }

  private ChannelSettings channel(long e) {
    ChannelSettings base = ChannelSettings.of(s.cluster(), ChannelSettings.secretOf(s.secret()), e);
    return base.withTimeouts(s.heartbeat(), s.failureTimeout()).withTls(s.tls());
  }

  // ---- joining as backup ----

  /** Attaches to the live primary; returns an exit code, or null to look at the cluster again. */
  private Integer joinAsBackup(PrimaryRecord p) throws InterruptedException {
    life.joining(p.epoch());
    long epoch = p.epoch();
    BackupDriver b =
        new BackupDriver(clock, events, replayLog, s.hashInterval(), s.has(UnsafeBug.ACK_BEFORE_WRITE), p.epoch());
    LogClient client;
    try {
      client = LogClient.connect(p.node().logAddress(), channel(p.epoch()), s.id(), b);
    } catch (RuntimeException e) {
      log.info("node {}: primary {} not reachable yet: {}", s.id(), p.node(), e.getMessage());
      life.notJoined();
      return null;
    }
    b.acker(client::ack);
    BackupLoop replay = new BackupLoop(b, clock);
    byte[] snap = replay.awaitSnapshot(Lifecycle.SNAPSHOT_WAIT_NANOS_MAX);
    if (snap == null) {
      log.info("node {}: no snapshot from {} ({}); retrying", s.id(), p.node().nodeId(), b.lostReason());
      client.close("no snapshot");
      life.notJoined();
      return null;
    }
    Machine m;
    try {
      m = NodeSnapshot.restore(snap, disk);
    } catch (IOException e) {
      client.close("bad snapshot");
      log.error("node {}: snapshot from {} unusable: {}", s.id(), p.node().nodeId(), e.getMessage());
      return NodeExit.JOIN_FAILED;
    }
    try {
      // the replay log of a backup starts at the snapshot: keep it next to the log so it can be replayed
      java.nio.file.Files.write(snapshotFile(b.snapshotIcount()), snap);
    } catch (IOException e) {
      log.warn("node {}: snapshot not saved: {}", s.id(), e.toString());
    }
    if (s.has(UnsafeBug.LATE_TIMER)) {
      b.plantLateTimer();
    }
    b.start(m, s.has(UnsafeBug.BACKUP_OWN_CLOCK) ? clock : null, life.backupOutputs(disk));
    events.role(epoch, NodeEvent.RoleChange.BACKUP);
    events.note("snapshot-received", Map.of("icount", b.snapshotIcount(), "bytes", snap.length, "epoch", epoch));
    life.backupStarted();
    log.info("node {}: backup of {} in epoch {} from icount {}", s.id(), p.node().nodeId(), epoch, b.snapshotIcount());
    BackupDriver.Outcome o = replay.run();
    client.close("backup done: " + o);
    switch (o) {
      case SHUTDOWN -> {
        log.info("node {}: the primary shut down cleanly; shutting down too", s.id());
        events.note("shutdown", Map.of("icount", m.icount(), "epoch", epoch));
        return NodeExit.CLEAN;
      }
      case DIVERGED -> {
        halt(NodeExit.DIVERGED, "replay diverged: " + b.divergence());
        return NodeExit.DIVERGED;
      }
      case GUEST_HALTED -> {
        return NodeExit.GUEST_HALTED;
      }
      default -> {
        return goLiveFromBackup(b);
      }
    }
  }

  private java.nio.file.Path snapshotFile(long icount) {
    if (replayLog instanceof ReplayLogSink sink) {
      return sink.snapshotFile();
    }
    return s.dataDir().resolve("snapshot-" + icount + ".bin");
  }

  /** Runs a role decision on the role thread; an unexpected failure there halts the node. */
  private void roleTask(Runnable r) {
    try {
      roleExec.execute(() -> {
        try {
          r.run();
        } catch (RuntimeException | Error e) {
          if (!halting()) {
            log.error("node {}: internal error in a role decision", s.id(), e);
            halt(NodeExit.INTERNAL, "internal error: " + e);
          }
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // the node is ending: no decision is needed any more
    }
  }

  private int guestHalted(Machine m, String when) {
    log.info("node {}: guest halted with exit code {}{}", s.id(), m.exitCode(), when);
    events.note("guest-halted", Map.of("exitCode", m.exitCode(), "icount", m.icount()));
    return NodeExit.GUEST_HALTED;
  }

  /** The primary is gone: win the next epoch, catch up with everything received, and serve. */
  private int goLiveFromBackup(BackupDriver b) {
    life.primaryLost(b.lostReason(), b.executedIcount());
    GoLiveResult r;
    while ((r = life.contend(life.epoch())) == null) {
      LockSupport.parkNanos(Lifecycle.RETRY_PARK_NANOS); // never go live without ZooKeeper's word
    }
    if (!r.won()) {
      life.lostGoLive(r);
      return NodeExit.LOST_GOLIVE;
    }
    if (!b.catchUp()) {
      if (b.divergence() == null) {
        // the guest halted within the log, as it did on the primary: there is nothing left to serve
        return guestHalted(b.machine(), " while catching up");
      }
      halt(NodeExit.DIVERGED, "could not catch up with the log: " + b.divergence());
    }
    log.info("node {}: caught up to icount {} ({} entries replayed); live in epoch {}",
        s.id(), b.executedIcount(), b.replayedEntries(), r.epoch());
    return runPrimary(b.machine(), r.epoch(), b.floors());
  }

  /** A primary's figures for people and benchmarks, written to the notes every interval. */
  private void stats() {
    PrimaryDriver d = primary;
    LogStream st = stream;
    if (d == null || st == null || halting()) {
      return;
    }
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("epoch", epoch());
    m.put("backup", st.attached());
    m.put("icount", d.icountApprox());
    m.put("entriesSent", st.entriesSent());
    LogServer ls = logServer;
    m.put("bytesSent", ls == null ? 0 : ls.stats().bytesSent()); // on the wire: frames, tags, markers, heartbeats
    m.put("batchesSent", st.batchesSent());
    m.put("markersSent", st.markersSent());
    m.put("acksTaken", st.acksTaken());
    m.putAll(st.unacked().fields()); // audited: no unacked entry, no unacked byte
    m.put("outputsReleased", gate.releasedCount());
    m.put("lagMs", Math.round(d.lagMs() * 1000) / 1000.0);
    LatencySample.Summary rule = ruleLatency.drain();
    m.put("ruleCount", rule.count());
    m.put("ruleP50Us", rule.p50());
    m.put("ruleP99Us", rule.p99());
    events.note("primary-stats", m);
  }

  // ---- endings ----

  /** Stops the node at once without releasing one more output; the logs are flushed and closed first. */
  void halt(int exitCode, String reason) {
    if (life != null) {
      life.halt(exitCode, reason);
      return;
    }
    log.error("node {} halts (exit {}): {}", s.id(), exitCode, reason);
    events.note("halt", Map.of("exitCode", exitCode, "reason", reason));
    closeLogs();
    halter.halt(exitCode);
  }

  /**
   * A clean stop (SIGTERM; the process's shutdown hook): a primary logs a SHUTDOWN entry so its
   * backup shuts down too, and the node ends its run; any other node just stops. Returns once the
   * logs are flushed and closed (bounded: the JVM ends when the hook returns).
   */
  public void shutdown() {
    stopRequested = true;
    PrimaryDriver d = primary;
    if (d != null && life != null && "primary".equals(life.role())) {
      d.requestShutdown();
      try {
        ended.await(PrimaryDriver.SHUTDOWN_ACK_NANOS_MAX + 1_000_000_000L, java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeLogs();
  }

  /** Flushes and closes the replay log and the event log, once; later records are dropped. */
  private void closeLogs() {
    synchronized (logsLock) {
      if (logsClosed) {
        return;
      }
      logsClosed = true;
    }
    if (replayLog instanceof java.io.Closeable c) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        log.warn("node {}: replay log not closed cleanly: {}", s.id(), e.toString());
      }
    }
    try {
      events.close();
    } catch (IOException | RuntimeException e) {
      log.warn("node {}: event log not closed cleanly: {}", s.id(), e.toString());
    }
  }

  private void closeAll() {
    roleExec.shutdownNow();
    statsExec.shutdownNow();
    if (logServer != null) {
      logServer.close();
    }
    ManualIoEventLoop io = logIo;
    if (io != null && io.inEventLoop()) {
      // no driver runs it any more: this thread lets the closes above finish, then stops it
      io.shutdownGracefully(0, LOG_IO_SHUTDOWN_NANOS, TimeUnit.NANOSECONDS);
      long deadline = clock.monoNanos() + 2 * LOG_IO_SHUTDOWN_NANOS;
      while (!io.isTerminated() && clock.monoNanos() < deadline) {
        io.run(LOG_IO_SHUTDOWN_NANOS / 10);
      }
    }
    if (clientPort != null) {
      clientPort.close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
    closeLogs();
  }
}
