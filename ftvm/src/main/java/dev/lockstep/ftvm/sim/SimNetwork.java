package dev.lockstep.ftvm.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Simulated TCP between named {@link SimProcess}es: a process listens on an {@link Address} (its name and a
 * service name, the simulated host and port), another connects to it, and both ends exchange messages of
 * any type through {@link SimSocket}s.
 *
 * <p>Timing: every message occupies its link (the ordered pair of process names) for {@code bytes /
 * bytesPerSecond}, then travels a latency drawn from the world's random source (a base plus exponential
 * jitter). A message never overtakes an earlier one on the same connection and direction. It is handed
 * to the receiver as a task of the receiving process, so a paused receiver takes it late and a crashed
 * one never does.
 *
 * <p>Faults: {@link #partition} (both ways) and {@link #partitionOneWay} hold a direction's traffic (TCP
 * retransmits it; nothing is lost) until {@link #heal}; the held messages then arrive in order. A held
 * connection is silent, not closed: the endpoints' own failure detection must notice. {@link #reset}
 * closes connections at both ends at once. {@link #crash} kills a process and, as the kernel does for a
 * dead process's sockets, closes its connections at the peers one latency later (held, too, by a
 * partition). {@link #tamperNext} alters the next message matching it on a link, for corruption faults.
 *
 * <p>Deterministic: every draw comes from a random source split from the world's at construction, and
 * every collection iterates in insertion order.
 */
public final class SimNetwork {

  /** A listening service: the process's name and a service name. */
  public record Address(String process, String service) {
    public Address {
      Objects.requireNonNull(process, "process");
      Objects.requireNonNull(service, "service");
    }
  }

  /**
   * The timing of one direction between two processes.
   *
   * @param latencyNanosBase the least one-way delay
   * @param jitterNanosMean mean of the exponential delay added to it (cut off at {@link #JITTER_MEANS_MAX} means)
   * @param bytesPerSecond the link's bandwidth: a message of n bytes occupies the link n / bytesPerSecond
   */
  public record LinkSettings(long latencyNanosBase, long jitterNanosMean, long bytesPerSecond) {
    public LinkSettings {
      if (latencyNanosBase < 0 || jitterNanosMean < 0 || bytesPerSecond <= 0) {
        throw new IllegalArgumentException("link settings need latency >= 0, jitter >= 0, bandwidth > 0");
      }
    }
  }

  /** A data-centre LAN: 50 us one way plus 20 us mean jitter, 10 Gbit/s. */
  public static final LinkSettings LAN = new LinkSettings(50_000, 20_000, 1_250_000_000L);

  /** Jitter is cut off at this many means, so one unlucky draw cannot hold a connection for long. */
  public static final int JITTER_MEANS_MAX = 20;

  /** What happens on one end of a connection; every call runs as a task of that end's process. */
  public interface Handler<M> {
    /** A client's connect succeeded (servers get their socket from {@link Acceptor#accepted}). */
    default void opened(SimSocket<M> s) {}

    void received(SimSocket<M> s, M message);

    /** The connection ended (closed here or by the peer, reset, refused, timed out). Called once. */
    void closed(SimSocket<M> s, String reason);
  }

  /** A listening process's side: gives each accepted connection its handler. */
  public interface Acceptor<M> {
    Handler<M> accepted(SimSocket<M> s);
  }

  /** Alters a message in flight: returns its replacement, or null when this message is not one it alters. */
  public interface Tamper {
    Object apply(Object message);
  }

  /** A listening service; {@link #close} stops accepting (connections already made stay). */
  public final class Listening {
    private final Address address;
    private final SimProcess process;
    private final Acceptor<?> acceptor;

    private Listening(Address address, SimProcess process, Acceptor<?> acceptor) {
      this.address = address;
      this.process = process;
      this.acceptor = acceptor;
    }

    public Address address() {
      return address;
    }

    public void close() {
      listeners.remove(address, this);
    }
  }

  private final Sim sim;
  private final SplittableRandom random;
  private final LinkSettings defaults;
  private final Map<String, Link> links = new LinkedHashMap<>();
  private final Map<Address, Listening> listeners = new LinkedHashMap<>();
  private final List<Connection<?>> connections = new ArrayList<>();
  private long nextConnectionId;

  public SimNetwork(Sim sim, LinkSettings defaults) {
    this.sim = sim;
    this.random = sim.random().split();
    this.defaults = Objects.requireNonNull(defaults, "defaults");
  }

  public Sim sim() {
    return sim;
  }

  /** Sets the timing of both directions between {@code a} and {@code b}. */
  public void setLink(String a, String b, LinkSettings settings) {
    link(a, b).settings = settings;
    link(b, a).settings = settings;
  }

  /**
   * Listens on {@code service} of {@code process}: each connection that reaches it is handed to
   * {@code acceptor} as a task of the process.
   *
   * @throws IllegalStateException when something already listens there
   */
  public <M> Listening listen(SimProcess process, String service, Acceptor<M> acceptor) {
    Address a = new Address(process.name(), service);
    if (listeners.containsKey(a)) {
      throw new IllegalStateException("address in use: " + a);
    }
    Listening l = new Listening(a, process, acceptor);
    listeners.put(a, l);
    return l;
  }

  /**
   * Connects from {@code process} to {@code to}. Returns at once; {@link Handler#opened} follows one round
   * trip later, or {@link Handler#closed} with "connection refused" (nothing listens, the process is dead)
   * or "connect timed out" (no answer within {@code connectTimeoutNanos}, as behind a partition).
   */
  public <M> SimSocket<M> connect(SimProcess process, Address to, Handler<M> handler, long connectTimeoutNanos) {
    Connection<M> c = new Connection<>(nextConnectionId++, process, to, handler);
    connections.add(c);
    c.clientToServer.sendControl(Kind.SYN, null);
    process.after(connectTimeoutNanos, () -> {
      if (c.client.open && !c.client.established) {
        c.reset("connect timed out after " + connectTimeoutNanos / 1_000_000 + " ms");
      }
    });
    return c.client;
  }

  /** Holds traffic both ways between {@code a} and {@code b} until {@link #heal}. */
  public void partition(String a, String b) {
    partitionOneWay(a, b);
    partitionOneWay(b, a);
  }

  /** Holds traffic from {@code from} to {@code to} (the other direction flows) until {@link #heal}. */
  public void partitionOneWay(String from, String to) {
    link(from, to).blocked = true;
  }

  /** Lets traffic flow both ways between {@code a} and {@code b} again; what was held arrives in order. */
  public void heal(String a, String b) {
    healOneWay(a, b);
    healOneWay(b, a);
  }

  /** Heals every partition. */
  public void healAll() {
    for (Link l : new ArrayList<>(links.values())) {
      healOneWay(l.from, l.to);
    }
  }

  public boolean partitioned(String from, String to) {
    return link(from, to).blocked;
  }

  private void healOneWay(String from, String to) {
    Link l = link(from, to);
    if (!l.blocked) {
      return;
    }
    l.blocked = false;
    for (Connection<?> c : new ArrayList<>(connections)) {
      c.clientToServer.resumeIfOn(l);
      c.serverToClient.resumeIfOn(l);
    }
  }

  /** Resets every connection between {@code a} and {@code b}: both ends see it closed at once. */
  public void reset(String a, String b) {
    for (Connection<?> c : new ArrayList<>(connections)) {
      if (c.between(a, b)) {
        c.reset("connection reset");
      }
    }
  }

  /**
   * Kills {@code process} ({@link SimProcess#crash}); what it had sent still arrives, then each peer sees
   * its connection reset. Its listeners go away.
   */
  public void crash(SimProcess process) {
    process.crash();
    listeners.values().removeIf(l -> l.process == process);
    for (Connection<?> c : new ArrayList<>(connections)) {
      c.processDied(process);
    }
  }

  /** The next message from {@code from} to {@code to} that {@code tamper} alters arrives altered. */
  public void tamperNext(String from, String to, Tamper tamper) {
    link(from, to).tampers.add(tamper);
  }

  /** Bytes sent so far from {@code from} to {@code to}, over all connections. */
  public long bytesSent(String from, String to) {
    return link(from, to).bytesSent;
  }

  /** Connections with at least one end still open. */
  public int openConnections() {
    return connections.size();
  }

  private Link link(String from, String to) {
    return links.computeIfAbsent(from + "\u0000" + to, k -> new Link(from, to, defaults));
  }

  private long latencyNanos(LinkSettings s) {
    long jitter = 0;
    if (s.jitterNanosMean() > 0) {
      // StrictMath: the same bits on every JVM and in the interpreter as after JIT compilation
      double draw = -s.jitterNanosMean() * StrictMath.log(1.0 - random.nextDouble());
      jitter = (long) Math.min(draw, (double) JITTER_MEANS_MAX * s.jitterNanosMean());
    }
    return s.latencyNanosBase() + jitter;
  }

  private static final class Link {
    final String from;
    final String to;
    final List<Tamper> tampers = new ArrayList<>();
    LinkSettings settings;
    boolean blocked;
    long busyUntil;
    long bytesSent;

    Link(String from, String to, LinkSettings settings) {
      this.from = from;
      this.to = to;
      this.settings = settings;
    }

    Object tamper(Object message) {
      for (int i = 0; i < tampers.size(); i++) {
        Object altered = tampers.get(i).apply(message);
        if (altered != null) {
          tampers.remove(i);
          return altered;
        }
      }
      return message;
    }
  }

  private enum Kind { SYN, SYN_ACK, DATA, FIN }

  private static final class Item {
    final Kind kind;
    final Object message;
    final int bytes;
    long arrival;

    Item(Kind kind, Object message, int bytes, long arrival) {
      this.kind = kind;
      this.message = message;
      this.bytes = bytes;
      this.arrival = arrival;
    }
  }

  /** One connection: a client end, a server end and a pipe each way. */
  final class Connection<M> {
    final long id;
    final Address address;
    final SimSocket<M> client;
    final SimSocket<M> server;
    final Pipe clientToServer;
    final Pipe serverToClient;

    Connection(long id, SimProcess clientProcess, Address address, Handler<M> handler) {
      this.id = id;
      this.address = address;
      this.client = new SimSocket<>(this, true, clientProcess.name(), clientProcess, handler);
      this.server = new SimSocket<>(this, false, address.process(), null, null);
      this.server.open = false; // until a listener accepts the SYN
      this.clientToServer = new Pipe(this, client, server);
      this.serverToClient = new Pipe(this, server, client);
    }

    Pipe outbound(SimSocket<?> end) {
      return end == client ? clientToServer : serverToClient;
    }

    SimSocket<M> peerOf(SimSocket<?> end) {
      return end == client ? server : client;
    }

    boolean between(String a, String b) {
      String c = client.localName();
      String s = server.localName();
      return (c.equals(a) && s.equals(b)) || (c.equals(b) && s.equals(a));
    }

    void close(SimSocket<M> end) {
      if (!end.open) {
        return;
      }
      closeEnd(end, "closed");
      outbound(end).sendControl(Kind.FIN, "connection closed by peer");
      forgetIfDone();
    }

    void reset(String reason) {
      clientToServer.clear();
      serverToClient.clear();
      closeEnd(client, reason);
      closeEnd(server, reason);
      forgetIfDone();
    }

    void processDied(SimProcess p) {
      for (SimSocket<M> end : List.of(client, server)) {
        if (end.process == p && end.open) {
          end.open = false;
          outbound(peerOf(end)).clear();
          outbound(end).sendControl(Kind.FIN, "connection reset by peer");
        }
      }
      forgetIfDone();
    }

    /** Marks {@code end} closed and tells its handler, as a task of its process. */
    private void closeEnd(SimSocket<M> end, String reason) {
      if (!end.open) {
        return;
      }
      end.open = false;
      Handler<M> h = end.handler;
      SimProcess p = end.process;
      if (p != null) {
        p.after(0, () -> {
          Handler<M> current = end.handler != null ? end.handler : h;
          if (current != null) {
            current.closed(end, reason);
          }
        });
      }
    }

    private void forgetIfDone() {
      if (!client.open && !server.open && clientToServer.queue.isEmpty() && serverToClient.queue.isEmpty()) {
        connections.remove(this);
      }
    }

    /** Something reached {@code to}. */
    @SuppressWarnings("unchecked")
    void arrived(Pipe pipe, Item item) {
      SimSocket<M> to = (SimSocket<M>) pipe.to;
      switch (item.kind) {
        case SYN -> accept();
        case SYN_ACK -> {
          if (to.open) {
            to.established = true;
            to.process.after(0, () -> {
              if (to.open) {
                to.handler.opened(to);
              }
            });
          }
        }
        case DATA -> {
          M message = (M) pipe.link.tamper(item.message);
          SimProcess p = to.process;
          if (p == null || !to.open) {
            pipe.unconsumed -= item.bytes;
            return;
          }
          p.after(0, () -> {
            pipe.unconsumed -= item.bytes;
            if (to.open && to.handler != null) {
              to.handler.received(to, message);
            }
          });
        }
        case FIN -> {
          closeEnd(to, (String) item.message);
          forgetIfDone();
        }
      }
    }

    @SuppressWarnings("unchecked")
    private void accept() {
      Listening l = listeners.get(address);
      if (!client.open) {
        return; // the client gave up meanwhile
      }
      if (l == null || !l.process.alive()) {
        serverToClient.sendControl(Kind.FIN, "connection refused");
        return;
      }
      server.process = l.process;
      server.open = true;
      server.established = true;
      Acceptor<M> acceptor = (Acceptor<M>) l.acceptor;
      l.process.after(0, () -> {
        if (server.handler == null) {
          server.handler = acceptor.accepted(server);
        }
      });
      serverToClient.sendControl(Kind.SYN_ACK, null);
    }
  }

  /** One direction of a connection: items leave in order and arrive in order. */
  final class Pipe {
    final Connection<?> connection;
    final SimSocket<?> from;
    final SimSocket<?> to;
    final Link link;
    final ArrayDeque<Item> queue = new ArrayDeque<>();
    Sim.Task head;
    boolean stalled;
    long lastArrival;
    long unconsumed;

    Pipe(Connection<?> connection, SimSocket<?> from, SimSocket<?> to) {
      this.connection = connection;
      this.from = from;
      this.to = to;
      this.link = link(from.localName(), to.localName());
    }

    void send(Object message, int bytes) {
      long start = Math.max(sim.now(), link.busyUntil);
      link.busyUntil = start + transmitNanos(bytes);
      link.bytesSent += bytes;
      unconsumed += bytes;
      enqueue(new Item(Kind.DATA, message, bytes, link.busyUntil + latencyNanos(link.settings)));
    }

    void sendControl(Kind kind, Object message) {
      enqueue(new Item(kind, message, 0, Math.max(sim.now(), link.busyUntil) + latencyNanos(link.settings)));
    }

    private long transmitNanos(int bytes) {
      return (long) bytes * 1_000_000_000L / link.settings.bytesPerSecond();
    }

    private void enqueue(Item item) {
      // TCP: nothing overtakes what was sent before it on this connection
      item.arrival = Math.max(item.arrival, lastArrival);
      lastArrival = item.arrival;
      queue.add(item);
      if (head == null && !stalled) {
        scheduleHead();
      }
    }

    private void scheduleHead() {
      Item next = queue.peek();
      head = next == null ? null : sim.at(next.arrival, this::deliverHead);
    }

    private void deliverHead() {
      head = null;
      if (link.blocked) {
        stalled = true; // retransmitted until the partition heals
        return;
      }
      Item item = queue.poll();
      if (item == null) {
        return;
      }
      connection.arrived(this, item);
      if (head == null && !stalled) {
        scheduleHead();
      }
    }

    void resumeIfOn(Link healed) {
      if (link != healed || !stalled) {
        return;
      }
      stalled = false;
      long at = sim.now();
      for (Item item : queue) {
        at = Math.max(at, sim.now() + latencyNanos(link.settings));
        item.arrival = at;
      }
      lastArrival = Math.max(lastArrival, at);
      scheduleHead();
    }

    void clear() {
      if (head != null) {
        head.cancel();
        head = null;
      }
      queue.clear();
      stalled = false;
      unconsumed = 0;
    }
  }
}
