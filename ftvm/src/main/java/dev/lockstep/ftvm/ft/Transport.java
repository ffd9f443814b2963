package dev.lockstep.ftvm.ft;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The node's Netty transport: the native epoll one where Netty can load it (Linux), the JDK's NIO one
 * otherwise. Every event loop, server channel and socket channel of a node comes from here, so they
 * always match.
 */
public final class Transport {
  private static final boolean EPOLL = Epoll.isAvailable();

  private Transport() {}

  /** Event loops' I/O handlers. */
  public static IoHandlerFactory ioHandlers() {
    return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /** Listening TCP channels. */
  public static Class<? extends ServerChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** Connecting TCP channels. */
  public static Class<? extends SocketChannel> socketChannel() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** "epoll" or "nio", for the node's log. */
  public static String name() {
    return EPOLL ? "epoll" : "nio";
  }
}
