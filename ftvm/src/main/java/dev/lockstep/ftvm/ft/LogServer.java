package dev.lockstep.ftvm.ft;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's end of the logging channel: listens on the log port and serves one authenticated backup
 * at a time (a second one is turned away with a reason while the first is connected). Owns its own I/O
 * threads; {@link #close()} stops them and closes every connection.
 */
public final class LogServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogServer.class);
  private static final int SHUTDOWN_QUIET_MS = 0;
  private static final int SHUTDOWN_TIMEOUT_MS = 2000;

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final boolean ownsWorkers;
  private final Set<Channel> children;
  private final Channel listening;
  private final BackupSlot slot;
  private final ChannelStats stats;
  private volatile ChannelSettings settings;

  private LogServer(EventLoopGroup boss, EventLoopGroup workers, boolean ownsWorkers, Set<Channel> children,
      Channel listening, BackupSlot slot, ChannelSettings settings, ChannelStats stats) {
    this.stats = stats;
    this.boss = boss;
    this.workers = workers;
    this.ownsWorkers = ownsWorkers;
    this.children = children;
    this.listening = listening;
    this.slot = slot;
    this.settings = settings;
  }

  /** Starts listening with node id {@code "primary"} in the handshake. */
  public static LogServer start(InetSocketAddress bind, ChannelSettings s, PrimaryListener l) {
    return start(bind, s, "primary", l);
  }

  /**
   * Starts listening on {@code bind} (port 0 picks a free port, see {@link #address()}).
   *
   * @throws ListenFailedException when the address cannot be bound
   */
  public static LogServer start(InetSocketAddress bind, ChannelSettings s, String nodeId, PrimaryListener l) {
    return start(bind, s, nodeId, l, null);
  }

  /**
   * As {@link #start(InetSocketAddress, ChannelSettings, String, PrimaryListener)}, with the backup's
   * connection on {@code io}, an event loop group the caller owns and stops (null: one of this
   * server's own). A node's primary passes the loop its driver thread runs, so acks are taken and
   * batches sent in the thread that records the log.
   */
  public static LogServer start(InetSocketAddress bind, ChannelSettings s, String nodeId, PrimaryListener l,
      EventLoopGroup io) {
    Objects.requireNonNull(l, "listener");
    HandshakeHandler.warmUp();
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, Transport.ioHandlers());
    EventLoopGroup workers = io != null ? io : new MultiThreadIoEventLoopGroup(1, Transport.ioHandlers());
    Set<Channel> children = ConcurrentHashMap.newKeySet();
    BackupSlot slot = new BackupSlot(s.epoch());
    ChannelStats stats = new ChannelStats();
    LogServer[] self = new LogServer[1];
    LogChannelInitializer init = new LogChannelInitializer(HandshakeHandler.Side.PRIMARY, () -> self[0].settings,
        nodeId, () -> new LogServerHandler(self[0].settings, l, slot), stats, null);
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(Transport.serverChannel())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(s.writeBufferBytesMax() / 2, s.writeBufferBytesMax()))
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            // on a shared group, close() must close the connections itself
            children.add(ch);
            ch.closeFuture().addListener(f -> children.remove(ch));
            ch.pipeline().addLast(init);
          }
        });
    try {
      Channel ch = b.bind(bind).syncUninterruptibly().channel();
      self[0] = new LogServer(boss, workers, io == null, children, ch, slot, s, stats);
      LOG.info("log server listening on {} (cluster {}, epoch {})", ch.localAddress(), s.cluster(), s.epoch());
      return self[0];
    } catch (Exception e) { // Netty rethrows the bind's checked exception unchecked
      shutdown(boss);
      if (io == null) {
        shutdown(workers);
      }
      throw new ListenFailedException("the logging channel (--log-port)", bind, e);
    }
  }

  /** The bound address (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) listening.localAddress();
  }

  /** Bytes this server sent and received over all its connections. */
  public ChannelStats stats() {
    return stats;
  }

  /** This server's current epoch. */
  public long epoch() {
    return settings.epoch();
  }

  /**
   * Moves to a new epoch (after this primary won a go-live): connections from now on must speak
   * {@code newEpoch}; a backup still connected under the old epoch is closed.
   */
  public synchronized void advanceEpoch(long newEpoch) {
    if (newEpoch <= settings.epoch()) {
      throw new IllegalArgumentException("epoch " + newEpoch + " does not advance " + settings.epoch());
    }
    settings = settings.withEpoch(newEpoch);
    LogServerHandler current = slot.advance(newEpoch);
    if (current != null) {
      current.close("epoch advanced to " + newEpoch);
    }
  }

  /** Stops listening, closes the backup's connection and stops the I/O threads; safe from a listener callback. */
  @Override
  public void close() {
    if (!ownsWorkers) {
      children.forEach(Channel::close);
    }
    if (workers.next().inEventLoop() || listening.eventLoop().inEventLoop()) {
      // Called on an I/O thread (a listener callback): it cannot wait for itself.
      listening.close();
      if (ownsWorkers) {
        workers.shutdownGracefully(SHUTDOWN_QUIET_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
      boss.shutdownGracefully(SHUTDOWN_QUIET_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      return;
    }
    listening.close().syncUninterruptibly();
    if (ownsWorkers) {
      shutdown(workers);
    }
    shutdown(boss);
  }

  private static void shutdown(EventLoopGroup g) {
    g.shutdownGracefully(SHUTDOWN_QUIET_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS).awaitUninterruptibly();
  }
}
