package dev.lockstep.ftvm.sim;

import dev.lockstep.ftvm.ft.ChannelSettings;
import dev.lockstep.ftvm.ft.FrameException;
import dev.lockstep.ftvm.ft.FrameType;
import dev.lockstep.ftvm.ft.HandshakeException;
import dev.lockstep.ftvm.ft.HandshakeHandler;
import dev.lockstep.ftvm.ft.LogChannelException;
import dev.lockstep.ftvm.ft.PeerSilentException;
import dev.lockstep.ftvm.ft.StaleEpochException;

/**
 * One end of one simulated logging-channel connection: the part of the real pipeline both sides share
 * ({@code LogChannelInitializer.configure}): idle detection with heartbeats, the decoder's rejection of
 * a damaged frame (nothing after it is read), the epoch guard, the handshake deadline, and closing with
 * the first reason. The side's own handling comes from the subclass. Runs only in its process's tasks.
 */
abstract class SimLogEndpoint implements SimNetwork.Handler<SimLogFrame> {
  protected final ChannelSettings settings;
  protected final SimProcess process;
  protected SimSocket<SimLogFrame> socket;
  /** The first reason this side knows for the end of the connection; null while none. */
  protected String closeReason;
  protected boolean handshakeDone;
  private boolean decoderFailed;
  private boolean active;
  private long lastReadNanos;
  private long lastWriteNanos;
  private long bytesSent;
  private long bytesReceived;

  SimLogEndpoint(ChannelSettings settings, SimProcess process) {
    this.settings = settings;
    this.process = process;
  }

  /** The connection is up (channelActive): start the idle timers and the handshake deadline. */
  protected void activate(SimSocket<SimLogFrame> s) {
    socket = s;
    active = true;
    long now = process.sim().now();
    lastReadNanos = now;
    lastWriteNanos = now;
    long readerIdle = settings.failureTimeout().toNanos();
    long writerIdle = settings.heartbeatInterval().toNanos();
    process.after(readerIdle, () -> readerIdleCheck(readerIdle));
    process.after(writerIdle, () -> writerIdleCheck(writerIdle));
    long handshakeNanos = HandshakeHandler.handshakeTimeout(settings).toNanos();
    process.after(handshakeNanos, () -> {
      if (active && !handshakeDone) {
        fail(new HandshakeException("no handshake within " + handshakeNanos / 1_000_000 + " ms"));
      }
    });
  }

  // IdleStateHandler's algorithm: an idle event after a full period of silence, then the next check
  // a full period later; otherwise a check when the period since the last traffic ends.
  private void readerIdleCheck(long periodNanos) {
    if (!active) {
      return;
    }
    long next = periodNanos - (process.sim().now() - lastReadNanos);
    if (next > 0) {
      process.after(next, () -> readerIdleCheck(periodNanos));
      return;
    }
    process.after(periodNanos, () -> readerIdleCheck(periodNanos));
    if (handshakeDone) { // the handshake has its own deadline and swallows idle events
      fail(new PeerSilentException(settings.failureTimeout()));
    }
  }

  private void writerIdleCheck(long periodNanos) {
    if (!active) {
      return;
    }
    long next = periodNanos - (process.sim().now() - lastWriteNanos);
    if (next > 0) {
      process.after(next, () -> writerIdleCheck(periodNanos));
      return;
    }
    process.after(periodNanos, () -> writerIdleCheck(periodNanos));
    if (handshakeDone) {
      send(SimLogFrame.heartbeat(settings.epoch()));
    }
  }

  @Override
  public final void received(SimSocket<SimLogFrame> s, SimLogFrame f) {
    lastReadNanos = process.sim().now();
    bytesReceived += f.bytes();
    if (decoderFailed) {
      return; // the real decoder swallows everything after a bad frame
    }
    try {
      if (f.corrupt()) {
        decoderFailed = true;
        throw new FrameException("checksum mismatch on a " + f.type() + " frame (damaged in the simulated network)");
      }
      if (f.epoch() != settings.epoch()) {
        throw new StaleEpochException(f.epoch(), settings.epoch());
      }
      if (!handshakeDone) {
        handshake(f);
        return;
      }
      if (f.type() == FrameType.HEARTBEAT) {
        return;
      }
      frame(f);
    } catch (LogChannelException e) {
      fail(e);
    }
  }

  /** A frame during the handshake. */
  protected abstract void handshake(SimLogFrame f);

  /** A frame after the handshake, not a heartbeat. */
  protected abstract void frame(SimLogFrame f);

  /** The connection ended (channelInactive). */
  protected abstract void inactive(String networkReason);

  @Override
  public final void closed(SimSocket<SimLogFrame> s, String reason) {
    active = false;
    inactive(reason);
  }

  /** An exception in the pipeline: remembered as the reason, and the connection closes (exceptionCaught). */
  protected void fail(LogChannelException e) {
    if (closeReason != null && !socket.isOpen()) {
      return;
    }
    if (closeReason == null) {
      closeReason = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    socket.close();
  }

  /** Sends the reason to the peer, then closes. */
  protected void sendCloseAndClose(String reason) {
    if (socket != null && socket.isOpen()) {
      send(SimLogFrame.close(settings.epoch(), reason));
      socket.close();
    }
  }

  protected void send(SimLogFrame f) {
    if (socket.send(f, f.bytes())) {
      lastWriteNanos = process.sim().now();
      bytesSent += f.bytes();
    }
  }

  protected static String peerCluster(String cluster, ChannelSettings s) {
    if (!s.cluster().equals(cluster)) {
      throw new HandshakeException("peer belongs to cluster '" + cluster + "', this is '" + s.cluster() + "'");
    }
    return cluster;
  }

  protected static void expect(SimLogFrame f, FrameType type) {
    if (f.type() != type) {
      throw new HandshakeException("expected " + type + " during the handshake, got " + f.type());
    }
  }

  long bytesSent() {
    return bytesSent;
  }

  long bytesReceived() {
    return bytesReceived;
  }
}
