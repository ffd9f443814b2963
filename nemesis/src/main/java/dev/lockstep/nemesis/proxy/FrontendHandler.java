package dev.lockstep.nemesis.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * On a newly accepted connection: rejects it when the link resets, otherwise dials the target on
 * the same event loop and replaces itself with the upstream {@link RelayHandler}. The accepted
 * channel does not read until both sides are paired.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
  private final FaultProxy proxy;

  FrontendHandler(FaultProxy proxy) {
    this.proxy = proxy;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel inbound = ctx.channel();
    if (proxy.rejectsConnections()) {
      ProxiedConnection.closeWithReset(inbound);
      return;
    }
    ProxiedConnection connection = proxy.register(inbound);
    inbound.closeFuture().addListener(f -> connection.channelClosed());
    ctx.pipeline().replace(this, "relay", new RelayHandler(connection, Direction.UPSTREAM));
    Bootstrap bootstrap =
        new Bootstrap()
            .group(inbound.eventLoop())
            .channel(NioSocketChannel.class)
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, FaultProxy.CONNECT_TIMEOUT_MS)
            .handler(new RelayHandler(connection, Direction.DOWNSTREAM));
    ChannelFuture connect = bootstrap.connect(proxy.target());
    connection.dialing(connect.channel());
    connect.addListener(
        (ChannelFuture f) -> {
          if (f.isSuccess()) {
            connection.attach(f.channel());
          } else {
            // The target is down: the client sees a reset, as it would from a refused port.
            ProxiedConnection.closeWithReset(inbound);
          }
        });
  }
}
