package dev.lockstep.ftvm.ft;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import dev.lockstep.ftvm.tls.Tls;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one logging-channel pipeline: byte counts, TLS when the settings carry it, idle detection,
 * frame decoder and encoder, epoch guard, frame authentication, handshake, heartbeats, then the side's
 * own handler last.
 */
public final class LogChannelInitializer extends ChannelInitializer<SocketChannel> {
  private static final Logger LOG = LoggerFactory.getLogger(LogChannelInitializer.class);
  private final HandshakeHandler.Side side;
  private final Supplier<ChannelSettings> settings;
  private final String nodeId;
  private final Supplier<ChannelHandler> endpoint;
  private final ChannelStats stats;
  private final InetSocketAddress peer;

  /**
   * @param peer the primary's address the backup dials (its certificate must name it), null on the primary's side
   */
  LogChannelInitializer(HandshakeHandler.Side side, Supplier<ChannelSettings> settings, String nodeId,
      Supplier<ChannelHandler> endpoint, ChannelStats stats, InetSocketAddress peer) {
    this.peer = peer;
    this.stats = stats;
    this.side = side;
    this.settings = settings;
    this.nodeId = nodeId;
    this.endpoint = endpoint;
  }

  /** Open connections one endpoint keeps at once: the backup plus strays waiting out their handshake deadline. */
  public static final int CONNECTIONS_MAX = 16;

  private final AtomicInteger open = new AtomicInteger();

  @Override
  protected void initChannel(SocketChannel ch) {
    if (open.incrementAndGet() > CONNECTIONS_MAX) {
      open.decrementAndGet();
      LOG.warn("refusing log channel connection from {}: {} connections already open", ch.remoteAddress(), CONNECTIONS_MAX);
      ch.close();
      return;
    }
    ch.closeFuture().addListener(f -> open.decrementAndGet());
    ch.pipeline().addLast("bytes", new ByteCountHandler(stats));
    ChannelSettings s = settings.get();
    Tls tls = s.tls();
    if (tls != null) {
      // below the frames: the counts above are the bytes on the wire, TLS records included
      ch.pipeline().addLast("tls", side == HandshakeHandler.Side.PRIMARY
          ? tls.logServerHandler(ch.alloc(), s.handshakeBound())
          : tls.logClientHandler(ch.alloc(), peer.getHostString(), peer.getPort(), s.handshakeBound()));
    }
    configure(ch.pipeline(), side, s, nodeId, endpoint.get());
  }

  /** Adds the logging-channel handlers to {@code p}; exposed so tests can build the same pipeline on an EmbeddedChannel. */
  public static void configure(ChannelPipeline p, HandshakeHandler.Side side, ChannelSettings s, String nodeId,
      ChannelHandler endpoint) {
    p.addLast("idle", new IdleStateHandler(s.failureTimeout().toMillis(), s.heartbeatInterval().toMillis(), 0,
        TimeUnit.MILLISECONDS));
    p.addLast("frameDecoder", new FrameDecoder(s.frameBytesMax() + FrameMacHandler.TAG_BYTES));
    p.addLast("frameEncoder", new FrameEncoder());
    p.addLast("epochGuard", new EpochGuard(s.epoch()));
    FrameMacHandler frameMac = new FrameMacHandler();
    p.addLast("frameMac", frameMac);
    p.addLast("handshake", new HandshakeHandler(side, s, nodeId, frameMac));
    p.addLast("heartbeat", new HeartbeatHandler(s));
    p.addLast("endpoint", endpoint);
  }
}
