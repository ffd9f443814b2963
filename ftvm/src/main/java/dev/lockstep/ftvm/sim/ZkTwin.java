package dev.lockstep.ftvm.sim;

import dev.lockstep.ftvm.golive.ConnectionListener;
import dev.lockstep.ftvm.golive.Coordination;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A simulated ZooKeeper server with the semantics {@link dev.lockstep.ftvm.golive.Coordinator} relies on,
 * and the Curator client each node talks to it through. One per simulated cluster; it hands out one
 * {@link Coordination} per node ({@link #client}), which keeps the same znodes as the real one, runs the
 * same multi-op transactions and gives the same answers. {@code CoordinationContract} holds it to a real
 * ZooKeeper.
 *
 * <p>The model, and why:
 *
 * <ul>
 *   <li><b>Linearizable</b>: every operation takes effect at the virtual instant it is called and answers
 *       at once. A real call takes a round trip, so the twin never shows the race between a node's read
 *       of the epoch and its transaction; the transaction's version check is kept all the same.
 *   <li><b>Heartbeats</b> are the client's pings: a client sends one after a third of the session timeout
 *       without sending (ZooKeeper's {@code readTimeout / 2}), as a task of its {@link SimProcess}, so a
 *       paused or crashed process sends none. A ping or operation over an uncut link is heard by the
 *       server at once. What was sent while the link was cut is delivered when it heals (TCP holds it).
 *   <li><b>Expiry</b>: the server expires a session it has not heard from for its timeout (the requested
 *       one: a real server clamps it to 2..20 ticks, so configure it to allow it). Its ephemeral znodes
 *       vanish at that instant. {@link Coordination#close()} over a live link ends the session at once.
 *   <li><b>SUSPENDED</b>: the client notices silence once it has heard nothing for its read timeout,
 *       2/3 of the session timeout (ZooKeeper's {@code ClientCnxn}), so between 1/3 and 2/3 of the timeout
 *       after a cut; a paused client notices when it resumes, if it was out longer than that.
 *   <li><b>Reconnecting</b>: after SUSPENDED the client tries again after 1 s (the host provider's spin
 *       over a single server) plus up to 1 s at random (ZooKeeper's reconnect jitter). An attempt over a cut
 *       link fails after the connect timeout (the session timeout for one server) and the next waits
 *       again. An attempt over a live link gives RECONNECTED with the same session, or, when the server has
 *       expired it, LOST and at once RECONNECTED with a new session.
 *   <li><b>LOST</b> also comes from Curator itself: SUSPENDED for a whole session timeout makes it inject a
 *       session expiration ({@code ConnectionStateManager.checkSessionExpiration}); it then connects a new
 *       client at once, and RECONNECTED follows when a connection comes up. The old session stays on the
 *       server until it expires there, ephemeral znodes and all.
 *   <li>While the client is not connected, or its link is cut, or it has heard nothing for its read
 *       timeout, every operation throws {@link dev.lockstep.ftvm.golive.ZkUnavailableException} at once
 *       (Curator would first wait up to a connection timeout).
 *   <li><b>Watches</b>: a change reaches every connected client over an uncut link as a task of its process
 *       (a paused one sees it late); a client reloads the whole view when it reconnects, as CuratorCache does.
 *   <li><b>Containers</b> (the go-live directory is one) that had children and have none are deleted on the
 *       container manager's next pass, every {@link #CONTAINER_CHECK_NANOS_DEFAULT} unless set otherwise.
 *   <li>Listener callbacks run as tasks of the node's {@link SimProcess}, so a paused node gets them late.
 * </ul>
 *
 * <p>Deterministic: no host clock, no threads, sessions and znodes in sorted maps, randomness from one
 * child of the world's random source split at construction.
 */
public final class ZkTwin {
  /** ZooKeeper's client sleeps this long before it retries the only server it has ({@code StaticHostProvider}). */
  public static final long CONNECT_SPIN_NANOS = 1_000_000_000L;
  /** ZooKeeper's client sleeps up to this long at random before each reconnect ({@code ClientCnxn}). */
  public static final long CONNECT_JITTER_NANOS_MAX = 1_000_000_000L;
  /** ZooKeeper's default {@code znode.container.checkIntervalMs}. */
  public static final long CONTAINER_CHECK_NANOS_DEFAULT = 60_000_000_000L;
  /** Session ids start here, so they look like a real server's and never collide with "not ephemeral" (0). */
  private static final long SESSION_ID_FIRST = 0x1_0000_0000L;

  /** A session as the server keeps it. */
  static final class Session {
    final long id;
    final long timeoutNanos;
    long lastHeardNanos;
    boolean alive = true;

    Session(long id, long timeoutNanos, long now) {
      this.id = id;
      this.timeoutNanos = timeoutNanos;
      this.lastHeardNanos = now;
    }
  }

  private final Sim sim;
  private final SplittableRandom random;
  private final long containerCheckNanos;
  private final Znodes tree = new Znodes();
  private final TreeMap<Long, Session> sessions = new TreeMap<>();
  private final List<ZkTwinClient> clients = new ArrayList<>();
  private long nextSessionId = SESSION_ID_FIRST;
  private boolean reapScheduled;

  public ZkTwin(Sim sim) {
    this(sim, CONTAINER_CHECK_NANOS_DEFAULT);
  }

  /** @param containerCheckNanos how often the container manager deletes emptied containers */
  public ZkTwin(Sim sim, long containerCheckNanos) {
    if (containerCheckNanos <= 0) {
      throw new IllegalArgumentException("containerCheckNanos must be positive: " + containerCheckNanos);
    }
    this.sim = sim;
    this.random = sim.random().split();
    this.containerCheckNanos = containerCheckNanos;
  }

  /**
   * A new, not yet started client for {@code nodeId} in {@code cluster}, living in {@code process}: its
   * pings, timers and listener callbacks are tasks of that process. Like {@code new Coordinator(...)}.
   */
  public Coordination client(SimProcess process, String cluster, String nodeId, long sessionTimeoutNanos,
      ConnectionListener listener) {
    if (sessionTimeoutNanos < 3) {
      throw new IllegalArgumentException("session timeout too short: " + sessionTimeoutNanos + " ns");
    }
    ZkTwinClient c = new ZkTwinClient(this, process, cluster, nodeId, sessionTimeoutNanos,
        listener == null ? ConnectionListener.NONE : listener);
    clients.add(c);
    return c;
  }

  /** Cuts the link between {@code node} and ZooKeeper: nothing passes either way until {@link #heal}. */
  public void cut(SimProcess node) {
    for (ZkTwinClient c : clients) {
      if (c.process() == node) {
        c.linkCut(true);
      }
    }
  }

  /** Heals the link between {@code node} and ZooKeeper. */
  public void heal(SimProcess node) {
    for (ZkTwinClient c : clients) {
      if (c.process() == node) {
        c.linkCut(false);
      }
    }
  }

  /** Sessions the server still keeps (not expired or closed). */
  public int liveSessions() {
    return sessions.size();
  }

  /** The data of the znode at {@code path} as UTF-8, or null when there is none (for tests and reports). */
  public String data(String path) {
    Znodes.Znode z = tree.get(path);
    return z == null ? null : new String(z.data(), java.nio.charset.StandardCharsets.UTF_8);
  }

  // ---- the server side, for ZkTwinClient ----

  Sim sim() {
    return sim;
  }

  SplittableRandom random() {
    return random;
  }

  Znodes.Znode get(String path) {
    return tree.get(path);
  }

  /** Runs a transaction; on success every watching client hears of the paths it touched. */
  void multi(List<? extends Znodes.Op> ops) throws Znodes.ZnodeException {
    List<String> touched = tree.multi(ops);
    changed(touched);
  }

  Session openSession(long timeoutNanos) {
    Session s = new Session(nextSessionId++, timeoutNanos, sim.now());
    sessions.put(s.id, s);
    armExpiry(s);
    return s;
  }

  /** The server hears from {@code s} now. */
  void heard(Session s) {
    if (s.alive) {
      s.lastHeardNanos = sim.now();
    }
  }

  /** A client closed its session over a live link: its ephemeral znodes go now. */
  void closeSession(Session s) {
    end(s);
  }

  private void armExpiry(Session s) {
    sim.at(s.lastHeardNanos + s.timeoutNanos, () -> checkExpiry(s));
  }

  private void checkExpiry(Session s) {
    if (!s.alive) {
      return;
    }
    if (sim.now() - s.lastHeardNanos >= s.timeoutNanos) {
      end(s);
    } else {
      armExpiry(s);
    }
  }

  private void end(Session s) {
    if (!s.alive) {
      return;
    }
    s.alive = false;
    sessions.remove(s.id);
    changed(tree.deleteEphemerals(s.id));
  }

  private void changed(List<String> paths) {
    for (String path : paths) {
      Znodes.Znode z = tree.get(path);
      byte[] data = z == null ? null : z.data();
      for (ZkTwinClient c : clients) {
        c.watchEvent(path, data);
      }
      if (z == null) {
        scheduleReap();
      }
    }
  }

  private void scheduleReap() {
    if (reapScheduled || tree.emptyContainers().isEmpty()) {
      return;
    }
    reapScheduled = true;
    long nextPass = (sim.now() / containerCheckNanos + 1) * containerCheckNanos;
    sim.at(nextPass, this::reap);
  }

  private void reap() {
    reapScheduled = false;
    List<String> empty = tree.emptyContainers();
    for (String path : empty) {
      try {
        tree.delete(path);
      } catch (Znodes.ZnodeException e) {
        throw new IllegalStateException("container " + path + " found empty but not deletable", e);
      }
    }
    changed(empty);
  }
}
