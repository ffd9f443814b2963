package dev.lockstep.nemesis.proxy;

import dev.lockstep.nemesis.NanoClock;
import dev.lockstep.nemesis.NemesisException;
import dev.lockstep.nemesis.Seeds;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy for one link (listen address → target address) whose two directions are faulted
 * independently. Every accepted connection gets its own connection to the target on the same
 * event loop. {@link #set}, {@link #heal} and {@link #resetConnections} are thread-safe and take
 * effect on open connections at once. Randomness (jitter, flaky resets) is drawn from streams
 * derived from the seed and the connection's accept order, so a run is reproducible up to timing.
 * Queues are bounded by {@link Builder#queueBytesMax}: past it the proxy stops reading the sender.
 */
public final class FaultProxy implements dev.lockstep.nemesis.LinkFaults, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);

  /** Default bound of bytes held per connection and direction. */
  public static final int QUEUE_BYTES_MAX_DEFAULT = 1 << 20;
  /** How often flaky links draw whether to reset each connection. */
  public static final long FLAKY_TICK_MS = 100;
  /** Bound on waiting for the proxy's own event loop to stop. */
  public static final long SHUTDOWN_TIMEOUT_MS = 5_000;
  /** Bound on connecting to the target. */
  public static final int CONNECT_TIMEOUT_MS = 5_000;

  private static final long FLAKY_STREAM = 0xF1A4L;

  private final String name;
  private final InetSocketAddress target;
  private final long seed;
  private final LinkState state;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final ConcurrentSkipListMap<Long, ProxiedConnection> connections = new ConcurrentSkipListMap<>();
  private final AtomicLong nextConnectionId = new AtomicLong();
  // Only touched by flakyTick, which runs on one event loop.
  private final SplittableRandom flakyRandom;
  private final Channel serverChannel;
  private final ScheduledFuture<?> flakyTicker;

  private FaultProxy(Builder b) {
    this.name = b.name;
    this.target = b.target;
    this.seed = b.seed;
    this.state = new LinkState(b.clock, b.queueBytesMax);
    this.ownsGroup = b.group == null;
    this.group = ownsGroup ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : b.group;
    this.flakyRandom = new SplittableRandom(Seeds.derive(seed, FLAKY_STREAM));
    this.serverChannel = bind(b.listen);
    this.flakyTicker =
        group.next().scheduleAtFixedRate(this::flakyTick, FLAKY_TICK_MS, FLAKY_TICK_MS, TimeUnit.MILLISECONDS);
  }

  /** A builder for a proxy that listens on {@code listen} (port 0 picks a free port) and forwards to {@code target}. */
  public static Builder builder(InetSocketAddress listen, InetSocketAddress target) {
    return new Builder(listen, target);
  }

  private Channel bind(InetSocketAddress listen) {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ProxyInitializer(this));
    try {
      return bootstrap.bind(listen).sync().channel();
    } catch (Exception e) {
      if (ownsGroup) {
        group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
      throw new NemesisException("proxy " + name + ": cannot listen on " + listen + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The address clients connect to; the real port when the builder asked for port 0. */
  public InetSocketAddress listenAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  public InetSocketAddress targetAddress() {
    return target;
  }

  /** The current fault of one direction. */
  @Override
  public Fault fault(Direction direction) {
    return state.fault(direction);
  }

  /** Sets the fault of one direction; open connections follow at once. */
  @Override
  public void set(Direction direction, Fault fault) {
    Objects.requireNonNull(fault, "fault");
    Fault previous = state.set(direction, fault);
    LOG.debug("proxy {} {}: {} -> {}", name, direction, previous, fault);
    if (fault instanceof Fault.Reset) {
      resetConnections();
    }
    for (ProxiedConnection c : connections.values()) {
      c.faultChanged(direction);
    }
  }

  /** Sets the same fault on both directions. */
  public void setBoth(Fault fault) {
    for (Direction d : Direction.values()) {
      set(d, fault);
    }
  }

  /** Both directions pass again: every held, delayed or throttled byte flows at once, in order. */
  @Override
  public void heal() {
    setBoth(Fault.pass());
  }

  /** Closes every open connection with a TCP RST on both sides. */
  public void resetConnections() {
    for (ProxiedConnection c : connections.values()) {
      c.reset();
    }
  }

  /** Connections accepted and not yet fully closed. */
  public int connectionCount() {
    return connections.size();
  }

  @Override
  public void close() {
    flakyTicker.cancel(false);
    serverChannel.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
    for (ProxiedConnection c : connections.values()) {
      c.close();
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
    }
  }

  @Override
  public String toString() {
    return "FaultProxy[" + name + " " + listenAddress() + " -> " + target + "]";
  }

  boolean rejectsConnections() {
    for (Direction d : Direction.values()) {
      if (fault(d) instanceof Fault.Reset) {
        return true;
      }
    }
    return false;
  }

  ProxiedConnection register(Channel inbound) {
    long id = nextConnectionId.getAndIncrement();
    ProxiedConnection c = new ProxiedConnection(this, id, inbound);
    connections.put(id, c);
    return c;
  }

  void unregister(ProxiedConnection c) {
    connections.remove(c.id());
  }

  SplittableRandom randomFor(long connectionId, Direction direction) {
    return new SplittableRandom(Seeds.derive(seed, connectionId, direction.ordinal()));
  }

  InetSocketAddress target() {
    return target;
  }

  LinkState state() {
    return state;
  }

  private void flakyTick() {
    double p = 0;
    for (Direction d : Direction.values()) {
      if (fault(d) instanceof Fault.Flaky f) {
        p = Math.max(p, f.probabilityPerSecond());
      }
    }
    if (p == 0) {
      return;
    }
    double perTick = p >= 1 ? 1 : 1 - Math.pow(1 - p, FLAKY_TICK_MS / 1000.0);
    List<ProxiedConnection> open = new ArrayList<>(connections.values());
    for (ProxiedConnection c : open) {
      if (flakyRandom.nextDouble() < perTick) {
        LOG.debug("proxy {}: flaky reset of connection {}", name, c.id());
        c.reset();
      }
    }
  }

  /** Settings of a {@link FaultProxy}; {@link #start()} binds the listen address. */
  public static final class Builder {
    private final InetSocketAddress listen;
    private final InetSocketAddress target;
    private String name;
    private long seed;
    private int queueBytesMax = QUEUE_BYTES_MAX_DEFAULT;
    private NanoClock clock = NanoClock.SYSTEM;
    private EventLoopGroup group;

    private Builder(InetSocketAddress listen, InetSocketAddress target) {
      this.listen = Objects.requireNonNull(listen, "listen");
      this.target = Objects.requireNonNull(target, "target");
      this.name = listen + "->" + target;
    }

    /** A name for logs and for the nemesis to address this link. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Bytes held per connection and direction before the proxy stops reading the sender. */
    public Builder queueBytesMax(int queueBytesMax) {
      if (queueBytesMax <= 0) {
        throw new IllegalArgumentException("queueBytesMax must be > 0: " + queueBytesMax);
      }
      this.queueBytesMax = queueBytesMax;
      return this;
    }

    public Builder clock(NanoClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Shares an NIO event loop group (e.g. one for all proxies of a test); the caller shuts it
     * down. Without one the proxy owns a single-thread group.
     */
    public Builder group(EventLoopGroup group) {
      this.group = Objects.requireNonNull(group, "group");
      return this;
    }

    /**
     * Binds and starts forwarding.
     *
     * @throws NemesisException if the listen address cannot be bound
     */
    public FaultProxy start() {
      return new FaultProxy(this);
    }
  }
}
