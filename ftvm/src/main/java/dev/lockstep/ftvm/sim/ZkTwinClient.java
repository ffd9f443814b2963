package dev.lockstep.ftvm.sim;

import dev.lockstep.ftvm.golive.BackupRecord;
import dev.lockstep.ftvm.golive.ConnectionListener;
import dev.lockstep.ftvm.golive.Coordination;
import dev.lockstep.ftvm.golive.GoLiveResult;
import dev.lockstep.ftvm.golive.NodeAddress;
import dev.lockstep.ftvm.golive.PrimaryRecord;
import dev.lockstep.ftvm.golive.Reclaim;
import dev.lockstep.ftvm.golive.RecordJson;
import dev.lockstep.ftvm.golive.ZkPaths;
import dev.lockstep.ftvm.golive.ZkUnavailableException;
import dev.lockstep.ftvm.sim.Znodes.Check;
import dev.lockstep.ftvm.sim.Znodes.Code;
import dev.lockstep.ftvm.sim.Znodes.Create;
import dev.lockstep.ftvm.sim.Znodes.Delete;
import dev.lockstep.ftvm.sim.Znodes.Op;
import dev.lockstep.ftvm.sim.Znodes.SetData;
import dev.lockstep.ftvm.sim.Znodes.Znode;
import dev.lockstep.ftvm.sim.Znodes.ZnodeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One node's Curator client of a {@link ZkTwin}: the {@link Coordination} a simulated node uses. Its
 * operations mirror {@link dev.lockstep.ftvm.golive.Coordinator} step by step on the twin's znodes;
 * its connection states follow the rules in {@link ZkTwin}'s documentation.
 */
final class ZkTwinClient implements Coordination {
  /** Attempts of a publish or reclaim that races, as in Coordinator (the twin never races; kept to mirror). */
  private static final int PUBLISH_ATTEMPTS_MAX = 3;
  private static final byte[] EMPTY = new byte[0];

  /** Curator's view of the connection. */
  enum State { NEW, CONNECTED, SUSPENDED, LOST, CLOSED }

  private final ZkTwin twin;
  private final Sim sim;
  private final SimProcess process;
  private final String cluster;
  private final String nodeId;
  private final ZkPaths paths;
  private final long sessionTimeoutNanos;
  private final long readTimeoutNanos;
  private final long pingNanos;
  private final ConnectionListener listener;
  /** The watched view of the records Coordinator reads from its cache: path to data. */
  private final TreeMap<String, byte[]> view = new TreeMap<>();
  private State state = State.NEW;
  private ZkTwin.Session session;
  private boolean linkCut;
  private long lastHeardNanos;
  private long lastSentNanos;
  /** Bumped to forget a scheduled ping; a paused process's task cannot be cancelled, only ignored. */
  private long pingGeneration;
  /** Bumped to forget scheduled reconnect attempts and Curator's expiry check. */
  private long connectGeneration;

  ZkTwinClient(ZkTwin twin, SimProcess process, String cluster, String nodeId, long sessionTimeoutNanos,
      ConnectionListener listener) {
    this.twin = twin;
    this.sim = twin.sim();
    this.process = Objects.requireNonNull(process, "process");
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.paths = new ZkPaths(cluster);
    this.sessionTimeoutNanos = sessionTimeoutNanos;
    this.readTimeoutNanos = sessionTimeoutNanos * 2 / 3;
    this.pingNanos = sessionTimeoutNanos / 3;
    this.listener = listener;
  }

  SimProcess process() {
    return process;
  }

  // ---- Coordination ----

  @Override
  public void start() throws ZkUnavailableException {
    if (state == State.CLOSED) {
      throw new IllegalStateException("client of node '" + nodeId + "' is closed");
    }
    if (state == State.NEW) {
      if (linkCut) {
        throw unavailable("connecting (link cut)", null);
      }
      openSession();
    }
    requireConnected("starting");
    ensureEpochNode();
    loadView();
  }

  @Override
  public Optional<PrimaryRecord> primary() {
    return cached(paths.primary(), PrimaryRecord.class);
  }

  @Override
  public Optional<BackupRecord> backup() {
    return cached(paths.backup(), BackupRecord.class);
  }

  @Override
  public long epoch() {
    byte[] d = view.get(paths.epoch());
    return d == null ? 0 : parseEpoch(d);
  }

  @Override
  public long readEpoch() throws ZkUnavailableException {
    requireConnected("reading the epoch");
    return parseEpoch(read(paths.epoch()).data());
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public String cluster() {
    return cluster;
  }

  @Override
  public GoLiveResult tryGoLive(long observedEpoch) throws ZkUnavailableException {
    requireConnected("go-live for epoch " + (observedEpoch + 1));
    ensureGoLiveDir(); // as Coordinator: the container may have been reaped
    Znode epochNode = read(paths.epoch());
    long current = parseEpoch(epochNode.data());
    if (current != observedEpoch) {
      return lost(current);
    }
    long next = current + 1;
    try {
      twin.multi(List.of(
          new Check(paths.epoch(), epochNode.version()),
          new Create(paths.goLive(next), utf8(nodeId), session.id, false),
          new SetData(paths.epoch(), utf8(Long.toString(next)), epochNode.version())));
      return new GoLiveResult.Won(next);
    } catch (ZnodeException e) {
      if (e.code != Code.BAD_VERSION && e.code != Code.NODE_EXISTS) {
        // as Coordinator: any other KeeperException means no decision
        throw unavailable("go-live for epoch " + next + ": " + e.code, e);
      }
      if (ownsNode(paths.goLive(next))) {
        return new GoLiveResult.Won(next);
      }
      return lost(parseEpoch(read(paths.epoch()).data()));
    }
  }

  @Override
  public Reclaim reclaimGoLive(long epoch) throws ZkUnavailableException {
    requireConnected("reclaiming the go-live node of epoch " + epoch);
    ensureGoLiveDir();
    List<String> raced = new ArrayList<>();
    for (int attempt = 1; attempt <= PUBLISH_ATTEMPTS_MAX; attempt++) {
      Znode epochNode = read(paths.epoch());
      if (parseEpoch(epochNode.data()) != epoch) {
        return Reclaim.EPOCH_ADVANCED;
      }
      String path = paths.goLive(epoch);
      Znode goLive = twin.get(path);
      List<Op> ops = new ArrayList<>();
      ops.add(new Check(paths.epoch(), epochNode.version()));
      if (goLive != null) {
        if (goLive.ephemeralOwner() == session.id) {
          return Reclaim.HELD;
        }
        if (!new String(goLive.data(), StandardCharsets.UTF_8).equals(nodeId)) {
          return Reclaim.HELD_BY_OTHER;
        }
        // this node's own dead session: the server has not expired it yet
        ops.add(new Delete(path, goLive.version()));
      }
      ops.add(new Create(path, utf8(nodeId), session.id, false));
      try {
        twin.multi(ops);
        return Reclaim.HELD;
      } catch (ZnodeException e) {
        if (e.code == Code.NOT_EMPTY) {
          throw new IllegalStateException("a go-live node has children: " + e.getMessage(), e);
        }
        // NO_NODE, NODE_EXISTS, BAD_VERSION: Coordinator takes them for a race and tries again
        raced.add(e.code.toString());
        if (e.code == Code.NO_NODE) {
          ensureGoLiveDir();
        }
      }
    }
    throw new ZkUnavailableException("reclaiming the go-live node of epoch " + epoch + " kept racing: " + raced, null);
  }

  @Override
  public boolean publishPrimary(NodeAddress me, long epoch) throws ZkUnavailableException {
    return publish(paths.primary(), RecordJson.write(new PrimaryRecord(me, epoch)), epoch, true);
  }

  @Override
  public boolean publishBackup(NodeAddress me, long epoch) throws ZkUnavailableException {
    return publish(paths.backup(), RecordJson.write(new BackupRecord(me, epoch)), epoch, false);
  }

  /** Over a live link the session ends now; otherwise the server expires it after its timeout. */
  @Override
  public void close() {
    if (state == State.CONNECTED && !linkCut && session.alive) {
      twin.closeSession(session);
    }
    state = State.CLOSED;
    pingGeneration++;
    connectGeneration++;
  }

  private boolean publish(String path, byte[] json, long epoch, boolean asPrimary) throws ZkUnavailableException {
    requireConnected("publishing " + path);
    for (int attempt = 1; attempt <= PUBLISH_ATTEMPTS_MAX; attempt++) {
      Znode epochNode = read(paths.epoch());
      if (parseEpoch(epochNode.data()) != epoch) {
        return false;
      }
      if (asPrimary && !ownsNode(paths.goLive(epoch))) {
        return false;
      }
      List<Op> ops = new ArrayList<>();
      ops.add(new Check(paths.epoch(), epochNode.version()));
      if (twin.get(path) != null) {
        ops.add(new Delete(path, Znodes.ANY_VERSION));
      }
      if (asPrimary && ownsNode(paths.backup())) {
        ops.add(new Delete(paths.backup(), Znodes.ANY_VERSION));
      }
      ops.add(new Create(path, json, session.id, false));
      try {
        twin.multi(ops);
        return true;
      } catch (ZnodeException e) {
        if (e.code == Code.NOT_EMPTY) {
          throw new IllegalStateException("a record znode has children: " + e.getMessage(), e);
        }
        // NO_NODE, NODE_EXISTS, BAD_VERSION: Coordinator takes them for a race and tries again
      }
    }
    return false;
  }

  private GoLiveResult lost(long epoch) {
    Znode holder = twin.get(paths.goLive(epoch));
    String winner = holder == null ? "" : new String(holder.data(), StandardCharsets.UTF_8);
    return new GoLiveResult.Lost(epoch, winner);
  }

  private void ensureEpochNode() throws ZkUnavailableException {
    ensureGoLiveDir();
    createIfAbsent(new Create(paths.epoch(), utf8("0"), 0, false));
  }

  private void ensureGoLiveDir() throws ZkUnavailableException {
    // Curator's createContainers: every missing ancestor and the go-live directory become containers
    String dir = paths.goLiveDir();
    for (int slash = dir.indexOf('/', 1); ; slash = dir.indexOf('/', slash + 1)) {
      String prefix = slash < 0 ? dir : dir.substring(0, slash);
      createIfAbsent(new Create(prefix, EMPTY, 0, true));
      if (slash < 0) {
        break;
      }
    }
  }

  private void createIfAbsent(Create c) throws ZkUnavailableException {
    try {
      twin.multi(List.of(c));
    } catch (ZnodeException e) {
      if (e.code != Code.NODE_EXISTS) {
        throw unavailable("creating " + c.path() + ": " + e.code, e);
      }
    }
  }

  private boolean ownsNode(String path) {
    Znode z = twin.get(path);
    return z != null && z.ephemeralOwner() == session.id;
  }

  private Znode read(String path) throws ZkUnavailableException {
    Znode z = twin.get(path);
    if (z == null) {
      // Coordinator's getData throws NoNodeException, which it reports as unavailable
      throw unavailable("reading " + path + ": " + Code.NO_NODE, null);
    }
    return z;
  }

  private <T> Optional<T> cached(String path, Class<T> type) {
    byte[] d = view.get(path);
    return d == null ? Optional.empty() : Optional.ofNullable(RecordJson.read(d, type));
  }

  // ---- the connection ----

  /**
   * Every operation starts here: it is heard by the server at this instant, or it throws. A client
   * that has heard nothing for its read timeout is about to notice and cannot be answered either.
   */
  private void requireConnected(String what) throws ZkUnavailableException {
    if (state != State.CONNECTED || linkCut || !session.alive
        || sim.now() - lastHeardNanos >= readTimeoutNanos) {
      throw unavailable(what + " (" + (linkCut ? "link cut" : state.toString()) + ")", null);
    }
    lastSentNanos = sim.now();
    lastHeardNanos = sim.now();
    twin.heard(session);
  }

  void linkCut(boolean cut) {
    boolean wasCut = linkCut;
    linkCut = cut;
    if (wasCut && !cut && state == State.CONNECTED && !process.paused() && process.alive()
        && sim.now() - lastHeardNanos < readTimeoutNanos) {
      // TCP delivers what was held: an unanswered ping is answered, the missed watch events arrive
      answerHeldPing();
      process.after(0, this::reloadIfConnected);
    }
  }

  private void answerHeldPing() {
    if (lastSentNanos > lastHeardNanos) {
      lastHeardNanos = sim.now();
      twin.heard(session);
    }
  }

  /** A change at {@code path} ({@code data} null when deleted) reaches this client if it is listening. */
  void watchEvent(String path, byte[] data) {
    if (state != State.CONNECTED || linkCut || !process.alive() || !watched(path)) {
      return;
    }
    process.after(0, () -> {
      if (data == null) {
        view.remove(path);
      } else {
        view.put(path, data);
      }
    });
  }

  private boolean watched(String path) {
    return path.equals(paths.epoch()) || path.equals(paths.primary()) || path.equals(paths.backup());
  }

  private void loadView() {
    view.clear();
    for (String path : List.of(paths.epoch(), paths.primary(), paths.backup())) {
      Znode z = twin.get(path);
      if (z != null) {
        view.put(path, z.data());
      }
    }
  }

  private void reloadIfConnected() {
    if (state == State.CONNECTED) {
      loadView();
    }
  }

  private void openSession() {
    session = twin.openSession(sessionTimeoutNanos);
    connected();
  }

  private void connected() {
    state = State.CONNECTED;
    connectGeneration++;
    lastHeardNanos = sim.now();
    lastSentNanos = sim.now();
    twin.heard(session);
    armPing();
  }

  private void armPing() {
    long generation = ++pingGeneration;
    long due = Math.min(lastSentNanos + pingNanos, lastHeardNanos + readTimeoutNanos);
    process.at(due, () -> {
      if (generation == pingGeneration) {
        ping();
      }
    });
  }

  /** ZooKeeper's send thread: notice silence, or ping when idle. */
  private void ping() {
    if (state != State.CONNECTED) {
      return;
    }
    long now = sim.now();
    if (now - lastHeardNanos >= readTimeoutNanos) {
      suspend();
      return;
    }
    if (!linkCut) {
      answerHeldPing();
    }
    if (now - lastSentNanos >= pingNanos) {
      lastSentNanos = now;
      if (!linkCut) {
        lastHeardNanos = now;
        twin.heard(session);
      }
    }
    armPing();
  }

  private void suspend() {
    state = State.SUSPENDED;
    pingGeneration++;
    long generation = ++connectGeneration;
    notify(listener::suspended);
    process.after(sessionTimeoutNanos, () -> {
      if (generation == connectGeneration && state == State.SUSPENDED) {
        curatorExpires();
      }
    });
    retryConnect(0);
  }

  /** Curator: SUSPENDED for a whole session timeout; it injects an expiration and starts a new client. */
  private void curatorExpires() {
    state = State.LOST;
    connectGeneration++;
    notify(listener::lost);
    // the new client's first connection attempt does not sleep
    attemptConnect();
  }

  private void retryConnect(long hangNanos) {
    long generation = connectGeneration;
    long delay = hangNanos + ZkTwin.CONNECT_SPIN_NANOS + twin.random().nextLong(ZkTwin.CONNECT_JITTER_NANOS_MAX);
    process.after(delay, () -> {
      if (generation == connectGeneration) {
        attemptConnect();
      }
    });
  }

  private void attemptConnect() {
    if (state != State.SUSPENDED && state != State.LOST) {
      return;
    }
    if (linkCut) {
      // the handshake goes unanswered for the connect timeout: the session timeout over one server
      retryConnect(sessionTimeoutNanos);
      return;
    }
    if (state == State.SUSPENDED && session.alive) {
      connected();
      loadView();
      notify(listener::reconnected);
      return;
    }
    if (state == State.SUSPENDED) {
      notify(listener::lost); // the server answers that the session expired
    }
    openSession();
    loadView();
    notify(listener::reconnected);
  }

  private void notify(Runnable callback) {
    process.after(0, () -> {
      if (state != State.CLOSED) {
        callback.run();
      }
    });
  }

  private ZkUnavailableException unavailable(String what, Exception cause) {
    return new ZkUnavailableException("ZooKeeper twin unavailable to node '" + nodeId + "' while " + what, cause);
  }

  private static long parseEpoch(byte[] data) {
    String s = new String(data, StandardCharsets.UTF_8).trim();
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("epoch node holds no number: " + s, e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
