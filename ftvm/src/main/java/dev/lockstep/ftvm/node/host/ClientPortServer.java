package dev.lockstep.ftvm.node.host;

import dev.lockstep.ftvm.node.lifecycle.Lifecycle;
import dev.lockstep.ftvm.ft.ListenFailedException;
import dev.lockstep.ftvm.ft.Transport;
import dev.lockstep.ftvm.tls.Tls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client port of a node: TCP, each message a u32 big-endian length and one guest packet
 * (DEVICES.md). Requests go to the {@link ClientInbox}; a reply is routed by its clientId to the
 * connection that last sent a request of that client, or dropped when there is none (the client
 * retries). Only while {@link #accepting} is on does it keep connections; otherwise it closes them at
 * once, so that only the live primary serves clients.
 */
public final class ClientPortServer implements AutoCloseable, Lifecycle.Replies {

  /** Largest guest packet a client may send, as the NIC's TX_LEN bound. */
  public static final int PACKET_BYTES_MAX = 8192;
  /** Connections open at once; more are closed on arrival. */
  public static final int CONNECTIONS_MAX = 1024;
  /**
   * Threads of the event loop. One: the guest takes one packet at a time, and a burst of replies is
   * written by one task on it ({@link #repliesDone}).
   */
  static final int IO_THREADS = 1;

  /** Where accepted requests go. */
  public interface ClientInbox {
    /** @return false when the inbox is full: the request is dropped, as a NIC drops a packet */
    boolean offer(byte[] packet);

    /**
     * The requests offered so far may be taken now. Called once per turn of the event loop that
     * offered them, after all of that turn's reads: a consumer woken here finds them all at once.
     */
    default void offered() {}
  }

  private static final Logger log = LoggerFactory.getLogger(ClientPortServer.class);

  private final EventLoopGroup group;
  private final Channel serverChannel;
  private final ClientInbox inbox;
  /** An {@link ClientInbox#offered} is queued on an event loop. */
  private final AtomicBoolean offeredPending = new AtomicBoolean();
  private final Map<Integer, Channel> routes = new ConcurrentHashMap<>();
  private final Map<Channel, Boolean> open = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong unroutable = new AtomicLong();
  /** Replies waiting for {@link #repliesDone}. */
  private final Queue<byte[]> outbox = new ConcurrentLinkedQueue<>();
  /** A {@link #sendReplies} is queued on the event loop. */
  private final AtomicBoolean sendPending = new AtomicBoolean();
  private volatile boolean accepting;

  private ClientPortServer(EventLoopGroup group, Channel serverChannel, ClientInbox inbox) {
    this.group = group;
    this.serverChannel = serverChannel;
    this.inbox = inbox;
  }

  /**
   * Binds the port (0 picks a free one); starts not accepting.
   *
   * @throws ListenFailedException when the address cannot be bound
   */
  public static ClientPortServer start(InetSocketAddress bind, ClientInbox inbox) throws InterruptedException {
    return start(bind, inbox, null);
  }

  /**
   * As {@link #start(InetSocketAddress, ClientInbox)}, over TLS when {@code tls} is not null: clients
   * verify this node's certificate; a client that does not speak TLS is closed at its first bytes.
   */
  public static ClientPortServer start(InetSocketAddress bind, ClientInbox inbox, Tls tls) throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(IO_THREADS, new DefaultThreadFactory("client-io"), Transport.ioHandlers());
    Holder holder = new Holder();
    try {
      Channel ch =
          new ServerBootstrap()
              .group(group)
              .channel(Transport.serverChannel())
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(new ClientPortInitializer(() -> holder.server, tls))
              .bind(bind)
              .sync()
              .channel();
      holder.server = new ClientPortServer(group, ch, inbox);
      return holder.server;
    } catch (InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    } catch (Exception e) { // Netty rethrows the bind's checked exception unchecked
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new ListenFailedException("the client port (--client-port)", bind, e);
    }
  }

  private static final class Holder {
    volatile ClientPortServer server;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Turns serving on (live primary) or off (closing every client connection). */
  public void accepting(boolean on) {
    accepting = on;
    if (!on) {
      open.keySet().forEach(Channel::close);
      routes.clear();
    }
  }

  public boolean accepting() {
    return accepting;
  }

  /** Requests dropped because the inbox was full or malformed. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Queues a guest reply for the connection that last sent a request of its clientId; it leaves at
   * the next {@link #repliesDone}. A reply whose client has no connection is dropped (the client
   * retries) and counted in {@link #unroutable}.
   */
  @Override
  public void reply(byte[] packet) {
    outbox.add(packet);
  }

  /**
   * Sends the replies queued so far, in one hand-off to the event loop for the whole burst instead of
   * one task and one wake-up per reply. Any thread.
   */
  @Override
  public void repliesDone() {
    if (!outbox.isEmpty() && sendPending.compareAndSet(false, true)) {
      group.next().execute(this::sendReplies);
    }
  }

  /** Replies dropped because no connection had sent a request of their clientId. */
  public long unroutable() {
    return unroutable.get();
  }

  /** On the event loop: writes every queued reply, then flushes each connection written once. */
  private void sendReplies() {
    sendPending.set(false); // first: a reply queued from here on queues another task
    Set<Channel> written = new HashSet<>();
    byte[] packet;
    while ((packet = outbox.poll()) != null) {
      Channel ch = packet.length < 4 ? null : routes.get(clientId(packet));
      if (ch == null || !ch.isActive()) {
        unroutable.incrementAndGet();
        continue;
      }
      // no promise: a failed write closes the connection through the pipeline (ClientPortHandler)
      ch.write(Unpooled.wrappedBuffer(packet), ch.voidPromise());
      written.add(ch);
    }
    written.forEach(Channel::flush);
  }

  /** The little-endian clientId at offset 0 of a guest request or reply. */
  public static int clientId(byte[] packet) {
    return ByteBuffer.wrap(packet, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  boolean connected(Channel ch) {
    if (!accepting || open.size() >= CONNECTIONS_MAX) {
      return false;
    }
    open.put(ch, Boolean.TRUE);
    return true;
  }

  void disconnected(Channel ch) {
    open.remove(ch);
    routes.values().removeIf(c -> c == ch);
  }

  void received(Channel ch, byte[] packet) {
    if (!accepting) {
      ch.close();
      return;
    }
    if (packet.length < 4) {
      log.warn("client {}: packet of {} bytes has no clientId; closing", ch.remoteAddress(), packet.length);
      dropped.incrementAndGet();
      ch.close();
      return;
    }
    routes.put(clientId(packet), ch);
    if (!inbox.offer(packet)) {
      dropped.incrementAndGet();
    }
    if (offeredPending.compareAndSet(false, true)) {
      ch.eventLoop().execute(this::offered);
    }
  }

  /** After the loop's reads of this turn: hands the inbox its requests in one go. */
  private void offered() {
    offeredPending.set(false); // first: a request offered from here on queues another call
    inbox.offered();
  }

  @Override
  public void close() {
    accepting = false;
    serverChannel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
