package dev.lockstep.ftvm.node.lifecycle;

import dev.lockstep.ftvm.ft.BackupLink;
import dev.lockstep.ftvm.ft.PrimaryListener;
import dev.lockstep.ftvm.golive.ConnectionListener;
import dev.lockstep.ftvm.golive.Coordination;
import dev.lockstep.ftvm.golive.GoLiveResult;
import dev.lockstep.ftvm.golive.NodeAddress;
import dev.lockstep.ftvm.golive.PrimaryRecord;
import dev.lockstep.ftvm.golive.Reclaim;
import dev.lockstep.ftvm.golive.ZkUnavailableException;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.NodeDisk;
import dev.lockstep.ftvm.node.NodeExit;
import dev.lockstep.ftvm.node.UnsafeBug;
import dev.lockstep.ftvm.node.outputrule.LatencySample;
import dev.lockstep.ftvm.node.outputrule.OutputGate;
import dev.lockstep.ftvm.node.primary.LogStream;
import dev.lockstep.ftvm.node.primary.PrimaryDriver;
import dev.lockstep.ftvm.node.records.NodeEventLog;
import dev.lockstep.ftvm.node.records.NodeSnapshot;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.histories.events.NodeEvent;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's role decisions, one code for the real node ({@link dev.lockstep.ftvm.node.host.Node}) and
 * the simulated one ({@link dev.lockstep.ftvm.sim.SimulatedNode}): finding the cluster and the first
 * go-live, the primary's side of a backup that joins or is lost (the test-and-set before going on
 * alone), the backup's test-and-set when its primary is lost, the output gate's standing through
 * ZooKeeper's connection states, the reclaim after a lost session, and the halt.
 *
 * <p>It asks the coordination service synchronously and never waits: when ZooKeeper does not answer,
 * a decision says "not yet" and the host tries again later ({@link Host#retryLater}), on a thread in a
 * node and as a timer in the simulator. Never go live without ZooKeeper's word. Thread-safe: in a node,
 * the logging channel's thread, the driver's thread and the role thread all call it.
 */
public final class Lifecycle {

  /** The epoch of a cluster nobody has gone live in yet: the only one a node may boot a fresh guest for. */
  static final long NEW_CLUSTER_EPOCH = 0;
  /** Pause between two attempts to reach ZooKeeper or the primary (a parked thread, or a timer). */
  public static final long RETRY_PARK_NANOS = 200_000_000L;
  /** How long a joining backup waits for the snapshot once connected. */
  public static final long SNAPSHOT_WAIT_NANOS_MAX = 20_000_000_000L;
  /** A waiting node notes that it is still waiting this often. */
  static final long WAIT_LOG_NANOS = 5_000_000_000L;

  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  /** What the lifecycle needs of the node around it. */
  public interface Host {
    /** Runs a role decision soon, off the logging channel's and the driver's threads. */
    void roleTask(Runnable decision);

    /** Runs a role decision again after {@link #RETRY_PARK_NANOS}. */
    void retryLater(Runnable decision);

    /** The node's addresses, as it publishes them. */
    NodeAddress me();

    /** The logging channel's server moves to {@code epoch}: a primary that goes on alone. */
    void advanceEpoch(long epoch);

    /** The client port stops serving. */
    void stopServing();

    /** The node stops now with {@code exitCode}, its logs flushed; the lifecycle recorded why. */
    void exit(int exitCode);
  }

  /** What a look at the cluster says to do. */
  public sealed interface Look {
    /** Join the published primary as its backup. */
    record Join(PrimaryRecord primary) implements Look {}

    /** This node won the first epoch of a new cluster: boot the guest fresh and serve. */
    record Boot(long epoch) implements Look {}

    /** Nothing to do yet: look again later. */
    record Wait() implements Look {}
  }

  private static final Look WAIT = new Look.Wait();

  private final String id;
  private final String cluster;
  private final Set<UnsafeBug> unsafe;
  private volatile Coordination coord;
  private final NodeEventLog events;
  private final HostClock clock;
  private final Host host;
  private final Object lock = new Object();
  private volatile long epoch;
  private volatile String role = "starting";
  private volatile boolean halting;
  /** The coordination client's view of the connection: false from SUSPENDED or LOST until RECONNECTED. */
  private volatile boolean zkUp = true;
  /** The session was lost and this node has not yet made sure of its epoch in a new one. */
  private volatile boolean zkSessionLost;
  private volatile OutputGate<PrimaryDriver.Held> gate;
  private volatile LogStream stream;
  private volatile PrimaryDriver primary;
  private BackupLink currentLink;
  private boolean deciding;
  private long nextWaitLog;
  private long nextZkWaitLog;

  /** The coordination client is set with {@link #coordination}: it is made with {@link #zkListener}. */
  public Lifecycle(String id, String cluster, Set<UnsafeBug> unsafe, NodeEventLog events, HostClock clock, Host host) {
    this.id = id;
    this.cluster = cluster;
    this.unsafe = unsafe;
    this.events = events;
    this.clock = clock;
    this.host = host;
  }

  /** The coordination client, made with this lifecycle's {@link #zkListener}; set before anything else. */
  public void coordination(Coordination c) {
    this.coord = c;
  }

  public long epoch() {
    return epoch;
  }

  public String role() {
    return role;
  }

  /** A primary's backup is attached (it got its snapshot and follows the log). */
  public boolean backupAttached() {
    LogStream st = stream;
    return st != null && st.attached();
  }

  public boolean halting() {
    return halting;
  }

  public boolean has(UnsafeBug b) {
    return unsafe.contains(b);
  }

  // ---- finding the cluster ----

  /**
   * One look at the cluster: join the published primary, or (a brand-new cluster, epoch 0) contend for
   * epoch 1 and boot. Past epoch 0 the cluster's state lives in a node that went live, and a fresh guest
   * would serve without it (acknowledged writes lost), so a node with no primary to join waits.
   */
  public Look look() {
    Optional<PrimaryRecord> p = coord.primary();
    if (p.isPresent() && !p.get().node().nodeId().equals(id)) {
      return new Look.Join(p.get());
    }
    if (p.isPresent()) {
      waiting("the published primary is this node's own record from before it restarted; waiting for it to expire");
      return WAIT;
    }
    long current;
    try {
      current = coord.readEpoch();
    } catch (ZkUnavailableException e) {
      waiting("ZooKeeper unavailable: " + e.getMessage());
      return WAIT;
    }
    if (current != NEW_CLUSTER_EPOCH) {
      waiting("cluster " + cluster + " is at epoch " + current + " with no primary published; a fresh guest"
          + " would lose that epoch's state, so this node waits to join the live primary as its backup");
      return WAIT;
    }
    GoLiveResult r;
    try {
      events.goLiveAttempt(NEW_CLUSTER_EPOCH);
      r = coord.tryGoLive(NEW_CLUSTER_EPOCH);
    } catch (ZkUnavailableException e) {
      log.warn("node {}: go-live undecided, ZooKeeper unavailable: {}", id, e.getMessage());
      return WAIT;
    }
    events.goLiveResult(r.epoch(), r.won(), detail(r));
    if (!r.won()) {
      log.info("node {}: another node went live for epoch {}; joining as backup", id, r.epoch());
      return WAIT;
    }
    return new Look.Boot(r.epoch());
  }

  private void waiting(String why) {
    long now = clock.monoNanos();
    if (now >= nextWaitLog) {
      log.warn("node {}: not joined yet: {}", id, why);
      events.note("waiting-to-join", Map.of("reason", why));
      nextWaitLog = now + WAIT_LOG_NANOS;
    }
  }

  // ---- the primary ----

  /** What a primary driver needs of its node: the epoch, the halt, the event log, and snapshots with {@code disk}. */
  public PrimaryDriver.Context primaryContext(NodeDisk disk) {
    return new PrimaryDriver.Context() {
      @Override
      public long epoch() {
        return Lifecycle.this.epoch();
      }

      @Override
      public byte[] snapshot(Machine m, PrimaryDriver.ClockFloors floors) throws IOException {
        return NodeSnapshot.take(m, floors, disk);
      }

      @Override
      public void halt(int exitCode, String reason) {
        Lifecycle.this.halt(exitCode, reason);
      }

      @Override
      public void stateHash(long icount, long hash) {
        events.stateHash(Lifecycle.this.epoch(), NodeEvent.RoleChange.PRIMARY, icount, hash);
      }

      @Override
      public void note(String type, Map<String, Object> fields) {
        events.note(type, fields);
      }
    };
  }

  /**
   * What a backup does with an output that matched the log: a packet is suppressed (and noted); a
   * write to a local disk is executed on this node's own copy.
   */
  public OutputHandler backupOutputs(NodeDisk disk) {
    return e -> {
      if (e.kind() == EventKind.NIC_TX) {
        events.suppressed(epoch, e.payload());
      } else {
        disk.replayed(e);
      }
    };
  }

  /** The output gate of a new primary: outputs leave through {@code replies}, shared-disk writes to {@code diskWrites}. */
  public OutputGate<PrimaryDriver.Held> gate(Replies replies, LatencySample ruleLatency) {
    OutputGate<PrimaryDriver.Held> g = new OutputGate<>(OutputGate.Mode.ALONE, new OutputGate.Releaser<>() {
      @Override
      public void release(OutputGate.Release<PrimaryDriver.Held> r) {
        if (halting) {
          return;
        }
        Event out = r.output().event();
        if (r.acked()) {
          ruleLatency.record((clock.monoNanos() - r.output().offeredNanos()) / 1000);
        }
        if (out.kind() == EventKind.NIC_TX) {
          replies.reply(out.payload());
          events.released(epoch, out.payload(), r.acked(),
              new NodeEvent.Release(r.seq(), out.icount(), r.ackedSeq(), standing(r)));
        } else if (out.kind() == EventKind.DISK_START) {
          primary.releaseDiskWrite(out);
        }
      }

      @Override
      public void burstDone() {
        replies.repliesDone();
        events.flushReleased();
      }
    }, OutputGate.PENDING_OUTPUTS_MAX, has(UnsafeBug.SKIP_OUTPUT_RULE));
    g.zkConnected(zkUp && !zkSessionLost);
    return g;
  }

  /** The gate's mode as the event log names it: a primary alone says whether it had ZooKeeper's word. */
  static String standing(OutputGate.Release<?> r) {
    return switch (r.mode()) {
      case WITH_BACKUP -> NodeEvent.Release.WITH_BACKUP;
      case ALONE -> r.zkConnected() ? NodeEvent.Release.ALONE : NodeEvent.Release.ALONE_WITHOUT_ZK;
      case HELD -> NodeEvent.Release.HELD;
    };
  }

  /** Where a primary's released replies go: the client port. */
  public interface Replies {
    void reply(byte[] packet);

    void repliesDone();
  }

  /** The host built the primary of {@code newEpoch}: its driver, gate and log stream. */
  public void primaryStarting(long newEpoch, PrimaryDriver d, OutputGate<PrimaryDriver.Held> g, LogStream st) {
    epoch = newEpoch;
    stream = st;
    gate = g;
    primary = d;
    role = "primary";
  }

  /**
   * Publishes this node as primary of {@code e}: true once published, false when ZooKeeper did not
   * answer (try again). When {@code e} is no longer the cluster's epoch the node halts.
   */
  public boolean publishPrimary(long e, int exitIfStale, String staleWhy) {
    boolean ok;
    try {
      ok = coord.publishPrimary(host.me(), e) || has(UnsafeBug.NO_GOLIVE_LOCK);
      if (!ok && coord.reclaimGoLive(e) == Reclaim.HELD) {
        // TRICKY: the session that won epoch e expired before this node could publish itself (ZooKeeper
        // was cut during its go-live), and its go-live node went with it. The epoch has not moved and
        // no other node holds its go-live node, so the one transaction of a reclaim takes it back in
        // the new session; halting instead would throw away the only copy of the state.
        log.warn("node {}: took the go-live node of epoch {} back after its session expired mid go-live", id, e);
        events.note("golive-reclaimed", Map.of("epoch", e));
        ok = coord.publishPrimary(host.me(), e);
      }
    } catch (ZkUnavailableException ex) {
      log.warn("node {}: publishing primary of epoch {} waits for ZooKeeper: {}", id, e, ex.getMessage());
      return false;
    }
    if (!ok) {
      halt(exitIfStale, staleWhy);
    }
    return true;
  }

  /** The logging channel's news for a primary. */
  public PrimaryListener primaryListener() {
    return new PrimaryListener() {
      @Override
      public void backupConnected(BackupLink link, String backupNodeId) {
        synchronized (lock) {
          if (deciding || halting) {
            link.close("primary is deciding whether to go on alone; retry");
            return;
          }
          currentLink = link;
        }
        primary.post(() -> attach(link, backupNodeId));
      }

      @Override
      public void acked(long seq, long executedIcount) {
        gate.acked(stream.acked(seq));
        primary.backupExecuted(executedIcount);
      }

      @Override
      public void backupLost(String reason) {
        backupGone(reason);
      }
    };
  }

  /** On the driver's turn: a connected backup gets the snapshot unless it was lost meanwhile. */
  private void attach(BackupLink link, String backupNodeId) {
    synchronized (lock) {
      if (currentLink != link || deciding || halting) {
        return;
      }
      primary.attachBackup(link, backupNodeId);
    }
  }

  private void backupGone(String reason) {
    synchronized (lock) {
      boolean wasAttached = stream.attached();
      currentLink = null;
      stream.detach(null);
      if (!wasAttached || halting) {
        return;
      }
      deciding = true;
      gate.mode(OutputGate.Mode.HELD);
    }
    log.warn("node {}: backup lost ({}); test-and-set before going on alone", id, reason);
    events.note("backup-lost", Map.of("reason", reason, "epoch", epoch));
    events.goLiveAttempt(epoch);
    host.roleTask(this::decideAlone);
  }

  /** A primary that lost its backup goes on alone only if it wins the next epoch. */
  private void decideAlone() {
    if (halting) {
      return;
    }
    GoLiveResult r = contend(epoch);
    if (r == null) {
      host.retryLater(this::decideAlone);
      return;
    }
    if (!r.won()) {
      lostGoLive(r);
      return;
    }
    epoch = r.epoch();
    host.advanceEpoch(r.epoch());
    goOnAlone(r.epoch());
  }

  private void goOnAlone(long e) {
    if (halting) {
      return;
    }
    try {
      coord.publishPrimary(host.me(), e);
    } catch (ZkUnavailableException ex) {
      log.warn("node {}: publishing primary of epoch {} waits for ZooKeeper: {}", id, e, ex.getMessage());
      host.retryLater(() -> goOnAlone(e));
      return;
    }
    events.role(e, NodeEvent.RoleChange.PRIMARY);
    synchronized (lock) {
      deciding = false;
      gate.mode(OutputGate.Mode.ALONE);
    }
    log.info("node {}: primary alone in epoch {}", id, e);
  }

  // ---- the backup ----

  /** The node is joining the primary of {@code primaryEpoch}. */
  public void joining(long primaryEpoch) {
    epoch = primaryEpoch;
    role = "joining";
  }

  /** The node replays as backup from now on; its record is published on the role thread. */
  public void backupStarted() {
    role = "backup";
    host.roleTask(this::publishBackup);
  }

  /** The node stopped joining and looks at the cluster again. */
  public void notJoined() {
    role = "starting";
  }

  private void publishBackup() {
    try {
      coord.publishBackup(host.me(), epoch);
    } catch (ZkUnavailableException e) {
      log.warn("node {}: could not publish backup record: {}", id, e.getMessage());
    }
  }

  /** The backup's primary is lost: the note, then {@link #contend} for the next epoch. */
  public void primaryLost(String reason, long executedIcount) {
    role = "going-live";
    log.warn("node {}: primary lost ({}); going live", id, reason);
    events.note("primary-lost", Map.of("reason", String.valueOf(reason), "epoch", epoch, "icount", executedIcount));
    events.goLiveAttempt(epoch);
  }

  // ---- the test-and-set ----

  /**
   * One test-and-set for the epoch after {@code observed}: the result, or null when ZooKeeper did not
   * answer (the caller tries again later; it never goes live without ZooKeeper's word).
   */
  public GoLiveResult contend(long observed) {
    try {
      GoLiveResult r;
      if (has(UnsafeBug.NO_GOLIVE_LOCK)) {
        // planted bug: take whatever epoch is current, whoever holds it
        r = coord.tryGoLive(coord.epoch());
        if (!r.won()) {
          return null;
        }
      } else {
        r = coord.tryGoLive(observed);
      }
      events.goLiveResult(r.epoch(), r.won(), detail(r));
      if (r.won()) {
        zkSessionLost = false; // the win came through the current session: it holds the new epoch
        gateZk(true); // TRICKY: else a primary that won after a lost session held its output forever
      }
      return r;
    } catch (ZkUnavailableException e) {
      long now = clock.monoNanos();
      if (now >= nextZkWaitLog) {
        log.warn("node {}: go-live for epoch {} waits for ZooKeeper: {}", id, observed + 1, e.getMessage());
        nextZkWaitLog = now + WAIT_LOG_NANOS;
      }
      return null;
    }
  }

  /** Lost the test-and-set: another node is live, so this one halts. */
  public void lostGoLive(GoLiveResult r) {
    halt(NodeExit.LOST_GOLIVE, "lost go-live for epoch " + (epoch + 1) + " to " + detail(r));
  }

  static String detail(GoLiveResult r) {
    return r instanceof GoLiveResult.Lost l ? "winner " + l.winner() + " in epoch " + l.epoch() : "won epoch " + r.epoch();
  }

  // ---- ZooKeeper's connection states ----

  /**
   * SUSPENDED and LOST hold the output that needs ZooKeeper's word: a primary alone holds everything,
   * while a primary with an attached backup goes on releasing what the backup acked (nobody goes live
   * without ZooKeeper, and the acks prove the backup still follows). LOST does not end the node: once
   * a new session is up, a primary makes sure its epoch still stands ({@link #reclaim}) before it
   * releases alone again; a backup keeps following and cannot go live until ZooKeeper is back.
   */
  public ConnectionListener zkListener() {
    return new ConnectionListener() {
      @Override
      public void suspended() {
        zkUp = false;
        log.warn("node {} ({}): ZooKeeper connection suspended; holding output a backup has not acked", id, role);
        gateZk(false);
      }

      @Override
      public void reconnected() {
        zkUp = true;
        if (zkSessionLost) {
          log.info("node {} ({}): ZooKeeper reachable again with a new session; checking epoch {}", id, role, epoch);
          host.roleTask(Lifecycle.this::reclaim);
        } else {
          log.info("node {} ({}): ZooKeeper connection back", id, role);
          gateZk(true);
        }
      }

      @Override
      public void lost() {
        zkUp = false;
        zkSessionLost = true;
        gateZk(false);
        log.warn("node {} ({}): ZooKeeper session lost; holding output a backup has not acked until a new"
            + " session confirms epoch {}", id, role, epoch);
        events.note("zk-session-lost", Map.of("role", role, "epoch", epoch));
      }
    };
  }

  private void gateZk(boolean connected) {
    OutputGate<PrimaryDriver.Held> g = gate;
    if (g != null) {
      g.zkConnected(connected && zkUp && !zkSessionLost);
    }
  }

  /**
   * After a lost session, once ZooKeeper is back: a primary whose epoch is still the cluster's takes
   * its go-live node back (one transaction that checks the epoch node's version), publishes itself
   * again and releases again; if the epoch moved on, another node may be live, so it halts without
   * releasing one more output. A backup publishes its record again.
   */
  private void reclaim() {
    if (halting) {
      return;
    }
    if (!zkSessionLost) {
      gateZk(true); // a go-live won meanwhile already confirmed this session
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
      // still no word from ZooKeeper: output stays held
      log.warn("node {}: epoch {} not confirmed yet: {}", id, e, ex.getMessage());
      host.retryLater(this::reclaim);
      return;
    }
    if (r != Reclaim.HELD) {
      halt(NodeExit.ZK_SESSION_LOST, "ZooKeeper session was lost and epoch " + e + " is no longer this node's ("
          + r + "): another node may be live");
      return;
    }
    if (!publishPrimary(e, NodeExit.ZK_SESSION_LOST,
        "ZooKeeper session was lost and epoch " + e + " could not be published again")) {
      host.retryLater(this::reclaim);
      return;
    }
    if (halting) {
      return;
    }
    log.info("node {}: ZooKeeper session re-established; still primary of epoch {}", id, e);
    events.note("zk-session-reclaimed", Map.of("epoch", e));
    zkSessionLost = false;
    gateZk(true);
  }

  // ---- the end ----

  /** Stops the node at once without releasing one more output; the logs are flushed and closed first. */
  public void halt(int exitCode, String reason) {
    synchronized (lock) {
      if (halting) {
        return;
      }
      halting = true;
    }
    OutputGate<PrimaryDriver.Held> g = gate;
    int dropped = g == null ? 0 : g.discard();
    host.stopServing();
    log.error("node {} halts (exit {}): {}; {} outputs never released", id, exitCode, reason, dropped);
    events.note("halt", Map.of("exitCode", exitCode, "reason", reason, "epoch", epoch, "unreleased", dropped));
    events.role(epoch, NodeEvent.RoleChange.HALTED);
    host.exit(exitCode);
  }
}
