package dev.lockstep.ftvm.ft;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The backup's end of the logging channel. {@link #connect} returns at once; the outcome arrives through
 * {@link #ready()} and, on any failure including a refused connection, one {@link BackupListener#primaryLost}.
 * Owns its own I/O thread; {@link #close()} stops it.
 */
public final class LogClient implements AutoCloseable {
  private static final int SHUTDOWN_QUIET_MS = 0;
  private static final int SHUTDOWN_TIMEOUT_MS = 2000;

  private final EventLoopGroup group;
  private final ChannelSettings settings;
  private final Channel channel;
  private final CompletableFuture<String> ready;
  private final LogClientHandler handler;
  private final ChannelStats stats;

  private LogClient(EventLoopGroup group, ChannelSettings settings, Channel channel, CompletableFuture<String> ready,
      LogClientHandler handler, ChannelStats stats) {
    this.stats = stats;
    this.group = group;
    this.settings = settings;
    this.channel = channel;
    this.ready = ready;
    this.handler = handler;
  }

  /** Connects to the primary's log port and starts the handshake as {@code nodeId}. */
  public static LogClient connect(InetSocketAddress primary, ChannelSettings s, String nodeId, BackupListener l) {
    Objects.requireNonNull(l, "listener");
    HandshakeHandler.warmUp();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("log-client-io"), Transport.ioHandlers());
    CompletableFuture<String> ready = new CompletableFuture<>();
    LogClientHandler handler = new LogClientHandler(s, l, ready);
    ChannelStats stats = new ChannelStats();
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(Transport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) s.failureTimeout().toMillis())
        .handler(new LogChannelInitializer(HandshakeHandler.Side.BACKUP, () -> s, nodeId, () -> handler, stats, primary));
    ChannelFuture f = b.connect(primary);
    f.addListener((ChannelFutureListener) cf -> {
      if (!cf.isSuccess()) {
        handler.lost("cannot connect to the primary's log port " + primary + ": " + cf.cause().getMessage());
      }
    });
    return new LogClient(group, s, f.channel(), ready, handler, stats);
  }

  /** Completes with the primary's node id once the handshake succeeded; fails with the reason the channel ended. */
  public CompletableFuture<String> ready() {
    return ready;
  }

  /** Tells the primary every entry up to {@code seq} is stored here and the machine executed up to {@code executedIcount}. */
  public void ack(long seq, long executedIcount) {
    if (!channel.isActive()) {
      return;
    }
    channel.writeAndFlush(new Frame(FrameType.ACK, settings.epoch(), Payloads.ack(new Payloads.Ack(seq, executedIcount))),
        channel.voidPromise());
  }

  /** Bytes this client sent and received. */
  public ChannelStats stats() {
    return stats;
  }

  /** True while the channel is open and authenticated. */
  public boolean connected() {
    return channel.isActive() && ready.isDone() && !ready.isCompletedExceptionally();
  }

  /**
   * Sends the reason to the primary, closes the channel and stops this client's I/O thread;
   * {@link BackupListener#primaryLost} follows. Idempotent.
   */
  public void close(String reason) {
    handler.closeReason("closed by this backup: " + reason);
    if (channel.eventLoop().inEventLoop()) {
      // Called from a listener callback: the I/O thread cannot wait for itself.
      channel.writeAndFlush(new Frame(FrameType.CONTROL, settings.epoch(), Payloads.close(reason)))
          .addListener(ChannelFutureListener.CLOSE);
      group.shutdownGracefully(SHUTDOWN_QUIET_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      return;
    }
    if (channel.isActive()) {
      channel.writeAndFlush(new Frame(FrameType.CONTROL, settings.epoch(), Payloads.close(reason)))
          .addListener(ChannelFutureListener.CLOSE).awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
    }
    channel.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
    group.shutdownGracefully(SHUTDOWN_QUIET_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS).awaitUninterruptibly();
  }

  /** {@link #close(String)} with a generic reason. */
  @Override
  public void close() {
    close("backup closing");
  }
}
