package dev.lockstep.ftvm.node.host;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands each client frame to the server; closes connections the server does not keep. */
final class ClientPortHandler extends SimpleChannelInboundHandler<ByteBuf> {

  private static final Logger log = LoggerFactory.getLogger(ClientPortHandler.class);
  private final ClientPortServer server;

  ClientPortHandler(ClientPortServer server) {
    this.server = server;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (server == null || !server.connected(ctx.channel())) {
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (server != null) {
      server.disconnected(ctx.channel());
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
    server.received(ctx.channel(), ByteBufUtil.getBytes(msg));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("client {}: {}; closing", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
