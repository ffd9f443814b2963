package dev.lockstep.nemesis.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/** Sets up an accepted client connection: a {@link FrontendHandler} that dials the target. */
final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
  private final FaultProxy proxy;

  ProxyInitializer(FaultProxy proxy) {
    this.proxy = proxy;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline().addLast("frontend", new FrontendHandler(proxy));
  }
}
