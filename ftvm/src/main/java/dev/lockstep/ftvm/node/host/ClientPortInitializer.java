package dev.lockstep.ftvm.node.host;

import dev.lockstep.ftvm.tls.Tls;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.time.Duration;
import java.util.function.Supplier;

/** Client-port pipeline: TLS when configured, then u32 big-endian length framing around one guest packet. */
final class ClientPortInitializer extends ChannelInitializer<SocketChannel> {

  private final Supplier<ClientPortServer> server;

  /** Bound on a client's TLS handshake. */
  static final Duration TLS_HANDSHAKE_MAX = Duration.ofSeconds(5);

  private final Tls tls;

  ClientPortInitializer(Supplier<ClientPortServer> server, Tls tls) {
    this.server = server;
    this.tls = tls;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (tls != null) {
      ch.pipeline().addLast("tls", tls.clientPortHandler(ch.alloc(), TLS_HANDSHAKE_MAX));
    }
    ch.pipeline()
        .addLast(new LengthFieldBasedFrameDecoder(ClientPortServer.PACKET_BYTES_MAX, 0, 4, 0, 4))
        .addLast(new LengthFieldPrepender(4))
        .addLast(new ClientPortHandler(server.get()));
  }
}
