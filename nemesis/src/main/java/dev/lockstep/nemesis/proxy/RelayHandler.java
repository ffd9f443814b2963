package dev.lockstep.nemesis.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands bytes read on one side of a proxied connection to the {@link Relay} of the direction this
 * side sends in, and reports closes and writability changes to the connection.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RelayHandler.class);

  private final ProxiedConnection connection;
  private final Direction sends;

  RelayHandler(ProxiedConnection connection, Direction sends) {
    this.connection = connection;
    this.sends = sends;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Relay relay = connection.relay(sends);
    if (relay == null || !(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    relay.accept(buf);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.sideInactive(sends);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // This side is the sink of the other direction.
    connection.sinkWritabilityChanged(sends == Direction.UPSTREAM ? Direction.DOWNSTREAM : Direction.UPSTREAM);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection {} {} side failed: {}", connection.id(), sends, cause.toString());
    ctx.close();
  }
}
