package dev.lockstep.ftvm.node.host;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.util.function.Supplier;

/** Client-port pipeline: u32 big-endian length framing around one guest packet. */
final class ClientPortInitializer extends ChannelInitializer<SocketChannel> {

  private final Supplier<ClientPortServer> server;

  ClientPortInitializer(Supplier<ClientPortServer> server) {
    this.server = server;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast(new LengthFieldBasedFrameDecoder(ClientPortServer.PACKET_BYTES_MAX, 0, 4, 0, 4))
        .addLast(new LengthFieldPrepender(4))
        .addLast(new ClientPortHandler(server.get()));
  }
}
