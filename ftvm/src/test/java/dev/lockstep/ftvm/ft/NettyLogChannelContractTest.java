package dev.lockstep.ftvm.ft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The contract on the real channel: LogServer and LogClient on 127.0.0.1, through a {@link FrameProxy} for faults. */
class NettyLogChannelContractTest extends LogChannelContract {
  private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);
  private static final Duration POLL = Duration.ofMillis(5);

  @Override
  protected World newWorld() {
    return new NettyWorld();
  }

  private static final class NettyWorld implements World {
    private final List<AutoCloseable> open = new ArrayList<>();
    private LogServer server;
    private FrameProxy proxy;

    @Override
    public Primary startPrimary(ChannelSettings s, String nodeId, PrimaryListener l) {
      server = LogServer.start(ANY, s, nodeId, l);
      open.add(server);
      try {
        proxy = new FrameProxy(server.address());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      open.add(proxy);
      return server::advanceEpoch;
    }

    @Override
    public Backup connectBackup(ChannelSettings s, String nodeId, BackupListener l) {
      LogClient c = LogClient.connect(proxy.address(), s, nodeId, l);
      open.add(c);
      return new Backup() {
        @Override
        public void ack(long seq, long executedIcount) {
          c.ack(seq, executedIcount);
        }

        @Override
        public void close(String reason) {
          c.close(reason);
        }

        @Override
        public boolean connected() {
          return c.connected();
        }
      };
    }

    @Override
    public void await(BooleanSupplier condition, Duration bound, String what) {
      org.awaitility.Awaitility.await(what).pollInterval(POLL).atMost(bound).until(condition::getAsBoolean);
    }

    @Override
    public void holdsFor(BooleanSupplier condition, Duration d, String what) {
      org.awaitility.Awaitility.await(what).pollInterval(POLL).during(d).atMost(d.plus(BOUND))
          .until(condition::getAsBoolean);
    }

    @Override
    public long nowNanos() {
      return System.nanoTime();
    }

    @Override
    public void corruptNext(boolean toBackup, FrameType type) {
      proxy.corruptNext(toBackup, type);
    }

    @Override
    public void restampNext(boolean toBackup, FrameType type, long epoch) {
      proxy.restampNext(toBackup, type, epoch);
    }

    @Override
    public void silence() {
      proxy.hold();
    }

    @Override
    public void close() {
      if (proxy != null) {
        proxy.release();
      }
      for (int i = open.size() - 1; i >= 0; i--) {
        try {
          open.get(i).close();
        } catch (Exception e) {
          throw new IllegalStateException("closing " + open.get(i), e);
        }
      }
    }
  }
}
