package dev.lockstep.ftvm.sim;

import dev.lockstep.ftvm.node.lifecycle.Lifecycle;
import dev.lockstep.ftvm.node.host.ClientPortServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A node's client port in the simulated world, the twin of {@code node.ClientPortServer}: connections
 * from simulated clients; requests go to the node's inbox in order per connection; a reply the output
 * gate released goes back to the connection that last sent a request of its clientId, or is dropped
 * (the client retries) when there is none. Only while {@link #open open} does it keep connections:
 * {@link #close} resets every one (the clients see the reset), and a closed port refuses new ones.
 *
 * <p>Every message of a connection (connect, request, reply, reset, close) crosses one seam, the
 * {@link Link}, in order per connection and direction. The default link draws a latency for each
 * message from the port's own random (split from the Sim's at construction). While the client link is
 * {@link #partition cut} it HOLDS traffic, as TCP does by retransmitting: messages sent meanwhile wait
 * and arrive, in order, after the heal (a reset of the connection discards them); messages already in
 * flight at the cut still arrive. Beyond {@link #HELD_MESSAGES_MAX} held messages further ones are lost.
 *
 * <p>Node-side handling of an arrival runs in the node's {@link SimProcess} (when one is given), so a
 * paused node reads its requests late and a crashed one never; connecting, resets and routing are the
 * kernel's and happen at once. Runs on the simulation thread only.
 */
public final class SimClientPort implements Lifecycle.Replies {

  /** Largest request packet a client may send, as the real port's bound. */
  public static final int PACKET_BYTES_MAX = ClientPortServer.PACKET_BYTES_MAX;
  /** Connections open at once; more are refused. */
  public static final int CONNECTIONS_MAX = ClientPortServer.CONNECTIONS_MAX;
  /** Messages held across all connections of this port while its client link is cut. */
  public static final int HELD_MESSAGES_MAX = 4096;
  /** One-way latency of a client link, drawn uniformly in [min, max]. */
  public static final long LATENCY_NANOS_MIN = 50_000;
  public static final long LATENCY_NANOS_MAX = 1_000_000;

  /** Where a primary takes client requests (the twin of ClientPortServer.ClientInbox). */
  public interface Inbox {
    /** A client request; false when the inbox is full (dropped, as a NIC drops it). */
    boolean offer(byte[] packet);

    /** Once per burst of offers. */
    void offered();
  }

  /** What the client end of a connection hears. Called on the simulation thread. */
  public interface ClientEnd {
    /** The node accepted the connection: requests may be sent. */
    void connected();

    /** A reply for one of this connection's clients. */
    void reply(byte[] packet);

    /** The connection was refused or reset; nothing more arrives on it. */
    void reset();
  }

  /**
   * The seam every message of a client connection crosses: carries one message of {@code connection}
   * toward the node ({@code toNode}) or the client and runs {@code arrival} when it arrives. Must keep
   * the order of one connection's messages in each direction. The simulated network may replace the
   * default with {@link #useLink}.
   */
  public interface Link {
    void carry(Connection connection, boolean toNode, Runnable arrival);

    /** Cuts ({@code true}) or heals the client link. */
    void cut(boolean on);
  }

  /** One client connection. The client calls {@link #send} once connected and {@link #close} when done. */
  public final class Connection {
    private final long id;
    private final ClientEnd end;
    /** The node has accepted it and not reset it (the node's view). */
    private boolean open;
    /** The client has closed it or seen its reset (the client's view). */
    private boolean clientDone;
    /** Arrival time of the last message each way, to keep them in order: [toNode, toClient]. */
    final long[] lastArrival = new long[2];

    private Connection(long id, ClientEnd end) {
      this.id = id;
      this.end = end;
    }

    /** The connection's number on this port, from 1 in connect order. */
    public long id() {
      return id;
    }

    /** The port this connection goes to. */
    public SimClientPort port() {
      return SimClientPort.this;
    }

    /** Sends one request packet (the twin of one length-prefixed write). */
    public void send(byte[] packet) {
      if (clientDone) {
        throw new IllegalStateException("send on connection " + id + " after it was closed or reset");
      }
      byte[] copy = packet.clone();
      link.carry(this, true, () -> arrivedAtNode(this, copy));
    }

    /** The client closes its end; requests already sent still arrive (a FIN follows them). */
    public void close() {
      if (clientDone) {
        return;
      }
      clientDone = true;
      link.carry(this, true, () -> disconnected(this));
    }

    @Override
    public String toString() {
      return node + "#" + id;
    }
  }

  private final Sim sim;
  private final String node;
  private final SimProcess process;
  private final List<Connection> connections = new ArrayList<>();
  private final Map<Integer, Connection> routes = new LinkedHashMap<>();
  private final List<byte[]> outbox = new ArrayList<>();
  private final List<Runnable> releaseWatchers = new ArrayList<>();
  private Link link;
  private Inbox inbox;
  private long connectionsMade;
  private long dropped;
  private long unroutable;

  /**
   * @param node the node's id, for messages
   * @param process the node's process, in which requests are handled; null to handle them at arrival
   */
  public SimClientPort(Sim sim, String node, SimProcess process) {
    this.sim = sim;
    this.node = node;
    this.process = process;
    this.link = new LatencyLink(sim, sim.random().split());
  }

  /** Routes this port's messages through {@code replacement} from now on (the simulated network). */
  public void useLink(Link replacement) {
    this.link = replacement;
  }

  public String node() {
    return node;
  }

  /** The node serves clients from now on. */
  public void open(Inbox in) {
    this.inbox = in;
  }

  /** The node stops serving: every connection is reset, later connections refused. */
  public void close() {
    inbox = null;
    for (Connection c : List.copyOf(connections)) {
      reset(c);
    }
    routes.clear();
  }

  public boolean accepting() {
    return inbox != null;
  }

  Inbox inbox() {
    return inbox;
  }

  /** Cuts ({@code true}) or heals every client's link to this node: traffic is held while cut. */
  public void partition(boolean cut) {
    link.cut(cut);
  }

  /** A client opens a connection; {@code end} hears {@code connected} or {@code reset} one round trip later. */
  public Connection connect(ClientEnd end) {
    Connection c = new Connection(++connectionsMade, end);
    link.carry(c, true, () -> accept(c));
    return c;
  }

  /** A guest reply the output gate released; it leaves at the next {@link #repliesDone}. */
  @Override
  public void reply(byte[] packet) {
    outbox.add(packet);
    for (Runnable w : List.copyOf(releaseWatchers)) {
      w.run();
    }
  }

  /** Runs {@code watcher} each time the node releases a reply (the moment an output leaves the primary). */
  public void onRelease(Runnable watcher) {
    releaseWatchers.add(watcher);
  }

  /** Sends the replies queued so far, each to the connection that last sent a request of its clientId. */
  @Override
  public void repliesDone() {
    List<byte[]> burst = List.copyOf(outbox);
    outbox.clear();
    for (byte[] packet : burst) {
      Connection c = packet.length < 4 ? null : routes.get(ClientPortServer.clientId(packet));
      if (c == null || !c.open) {
        unroutable++;
        continue;
      }
      link.carry(c, false, () -> arrivedAtClient(c, packet));
    }
  }

  /** Requests dropped because the inbox was full or malformed. */
  public long dropped() {
    return dropped;
  }

  /** Replies dropped because no connection had sent a request of their clientId. */
  public long unroutable() {
    return unroutable;
  }

  // ---- the node's side (the kernel, then the node's process) ----

  private void accept(Connection c) {
    if (c.clientDone) {
      return;
    }
    if (inbox == null || connections.size() >= CONNECTIONS_MAX) {
      tellReset(c);
      return;
    }
    c.open = true;
    connections.add(c);
    link.carry(c, false, () -> {
      if (!c.clientDone) {
        c.end.connected();
      }
    });
  }

  private void arrivedAtNode(Connection c, byte[] packet) {
    if (!c.open) {
      return; // reset meanwhile: the bytes die with the connection
    }
    if (process == null) {
      received(c, packet);
    } else {
      process.at(sim.now(), () -> received(c, packet));
    }
  }

  /** The twin of ClientPortServer.received. */
  private void received(Connection c, byte[] packet) {
    if (!c.open) {
      return;
    }
    if (inbox == null) {
      reset(c);
      return;
    }
    if (packet.length < 4 || packet.length > PACKET_BYTES_MAX) {
      dropped++;
      reset(c);
      return;
    }
    routes.put(ClientPortServer.clientId(packet), c);
    if (!inbox.offer(packet)) {
      dropped++;
    }
    inbox.offered();
  }

  private void disconnected(Connection c) {
    c.open = false;
    connections.remove(c);
    routes.values().removeIf(r -> r == c);
  }

  private void reset(Connection c) {
    disconnected(c);
    tellReset(c);
  }

  private void tellReset(Connection c) {
    link.carry(c, false, () -> {
      if (!c.clientDone) {
        c.clientDone = true;
        c.end.reset();
      }
    });
  }

  // ---- the client's side ----

  private void arrivedAtClient(Connection c, byte[] packet) {
    if (!c.clientDone) {
      c.end.reply(packet);
    }
  }

  /** The default link: a drawn latency per message, in order per connection and direction, held while cut. */
  static final class LatencyLink implements Link {
    private final Sim sim;
    private final SplittableRandom random;
    private final List<Runnable> held = new ArrayList<>();
    private boolean cut;
    private long lost;

    LatencyLink(Sim sim, SplittableRandom random) {
      this.sim = sim;
      this.random = random;
    }

    @Override
    public void carry(Connection c, boolean toNode, Runnable arrival) {
      if (cut) {
        if (held.size() < HELD_MESSAGES_MAX) {
          held.add(() -> schedule(c, toNode, arrival));
        } else {
          lost++;
        }
        return;
      }
      schedule(c, toNode, arrival);
    }

    private void schedule(Connection c, boolean toNode, Runnable arrival) {
      int way = toNode ? 0 : 1;
      long latency = random.nextLong(LATENCY_NANOS_MIN, LATENCY_NANOS_MAX + 1);
      long at = Math.max(sim.now() + latency, c.lastArrival[way]);
      c.lastArrival[way] = at;
      sim.at(at, arrival);
    }

    @Override
    public void cut(boolean on) {
      cut = on;
      if (!on) {
        List<Runnable> release = List.copyOf(held);
        held.clear();
        release.forEach(Runnable::run);
      }
    }

    long lost() {
      return lost;
    }
  }
}
