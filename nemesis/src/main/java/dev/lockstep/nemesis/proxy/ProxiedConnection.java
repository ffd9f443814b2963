package dev.lockstep.nemesis.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/**
 * One client connection and its connection to the target, with a {@link Relay} per direction.
 * All state is touched on the inbound channel's event loop only; public entry points hop onto it.
 */
final class ProxiedConnection {
  private final FaultProxy proxy;
  private final long id;
  private final Channel inbound;
  private Channel outbound;
  private Relay upstream;
  private Relay downstream;

  ProxiedConnection(FaultProxy proxy, long id, Channel inbound) {
    this.proxy = proxy;
    this.id = id;
    this.inbound = inbound;
  }

  long id() {
    return id;
  }

  /** The outbound channel exists (connecting) before it is active; a reset must reach it too. */
  void dialing(Channel channel) {
    outbound = channel;
    channel.closeFuture().addListener(f -> channelClosed());
  }

  void attach(Channel channel) {
    if (!inbound.isActive()) {
      channel.close();
      return;
    }
    upstream = new Relay(proxy.state(), Direction.UPSTREAM, inbound, channel, proxy.randomFor(id, Direction.UPSTREAM));
    downstream = new Relay(proxy.state(), Direction.DOWNSTREAM, channel, inbound, proxy.randomFor(id, Direction.DOWNSTREAM));
    upstream.refresh();
    downstream.refresh();
  }

  Relay relay(Direction direction) {
    return direction == Direction.UPSTREAM ? upstream : downstream;
  }

  void faultChanged(Direction direction) {
    inbound.eventLoop().execute(() -> {
      Relay relay = relay(direction);
      if (relay != null) {
        relay.refresh();
      }
    });
  }

  void sinkWritabilityChanged(Direction direction) {
    Relay relay = relay(direction);
    if (relay != null) {
      relay.refresh();
    }
  }

  /** The side that sends in {@code sends} went inactive: it is that relay's source and the other's sink. */
  void sideInactive(Direction sends) {
    Relay asSource = relay(sends);
    Relay asSink = relay(sends == Direction.UPSTREAM ? Direction.DOWNSTREAM : Direction.UPSTREAM);
    if (asSink != null) {
      asSink.sinkClosed();
    }
    if (asSource != null) {
      asSource.sourceClosed();
    } else if (sends == Direction.UPSTREAM && outbound != null) {
      outbound.close();
    }
  }

  void reset() {
    inbound.eventLoop().execute(() -> {
      discardQueues();
      closeWithReset(inbound);
      if (outbound != null) {
        closeWithReset(outbound);
      }
    });
  }

  void close() {
    inbound.eventLoop().execute(() -> {
      discardQueues();
      inbound.close();
      if (outbound != null) {
        outbound.close();
      }
    });
  }

  void channelClosed() {
    inbound.eventLoop().execute(() -> {
      if (!inbound.isOpen() && (outbound == null || !outbound.isOpen())) {
        proxy.unregister(this);
      }
    });
  }

  private void discardQueues() {
    if (upstream != null) {
      upstream.sinkClosed();
      downstream.sinkClosed();
    }
  }

  /** Closes with SO_LINGER 0, so the kernel sends RST instead of FIN. */
  static void closeWithReset(Channel channel) {
    if (channel.isOpen()) {
      if (channel.isActive()) {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
      }
      channel.close();
    }
  }
}
