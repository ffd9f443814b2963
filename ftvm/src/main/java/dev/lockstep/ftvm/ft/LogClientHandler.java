package dev.lockstep.ftvm.ft;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup's end of the connection, last in the pipeline: checks that entries arrive consecutively,
 * reassembles snapshots within their bound, and hands everything to the {@link BackupListener} in order.
 * Any pipeline exception closes the connection with a logged reason; {@code primaryLost} follows once.
 */
final class LogClientHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(LogClientHandler.class);

  private final ChannelSettings settings;
  private final BackupListener listener;
  private final CompletableFuture<String> ready;
  private volatile String closeReason;
  private long lastSeq;
  private byte[] snapshot;
  private long snapshotIcount;
  private int snapshotFilled;
  private boolean lostReported;

  LogClientHandler(ChannelSettings settings, BackupListener listener, CompletableFuture<String> ready) {
    this.settings = settings;
    this.listener = listener;
    this.ready = ready;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof HandshakeHandler.Completed c) {
      LOG.info("connected to primary '{}' at {} (epoch {})", c.peerNodeId(), ctx.channel().remoteAddress(), settings.epoch());
      ready.complete(c.peerNodeId());
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Frame f = (Frame) msg;
    switch (f.type()) {
      case LOG_BATCH -> entries(Payloads.batch(f.payload()));
      case PROGRESS -> listener.progress(Payloads.progress(f.payload()));
      case SNAPSHOT_CHUNK -> chunk(Payloads.snapshotChunk(f.payload()));
      case CONTROL -> {
        closeReason = "primary closed the channel: " + Payloads.control(f.payload());
        ctx.close();
      }
      default -> throw new FrameException("unexpected " + f.type() + " frame from a primary");
    }
  }

  private void entries(List<LogEntry> batch) {
    long expect = lastSeq;
    for (LogEntry e : batch) {
      if (expect != 0 && e.seq() != expect + 1) {
        throw new FrameException("log entry seq " + e.seq() + " arrived after " + expect);
      }
      expect = e.seq();
    }
    lastSeq = expect;
    listener.entries(List.copyOf(batch));
  }

  private void chunk(Payloads.SnapshotChunk c) {
    if (c.offset() == 0) {
      if (c.totalBytes() > settings.snapshotBytesMax() || c.totalBytes() > Integer.MAX_VALUE - 8) {
        throw new FrameException("snapshot of " + c.totalBytes() + " bytes exceeds the bound of " + settings.snapshotBytesMax());
      }
      snapshot = new byte[(int) c.totalBytes()];
      snapshotIcount = c.icount();
      snapshotFilled = 0;
    }
    if (snapshot == null || c.icount() != snapshotIcount || c.totalBytes() != snapshot.length
        || c.offset() != snapshotFilled || c.data().length > snapshot.length - snapshotFilled) {
      throw new FrameException("snapshot chunk at offset " + c.offset() + " of " + c.totalBytes()
          + " bytes does not continue the snapshot in progress");
    }
    System.arraycopy(c.data(), 0, snapshot, snapshotFilled, c.data().length);
    snapshotFilled += c.data().length;
    if (snapshotFilled == snapshot.length) {
      byte[] done = snapshot;
      snapshot = null;
      listener.snapshot(snapshotIcount, done);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String reason = Reasons.of(cause);
    if (closeReason != null && !ctx.channel().isActive()) {
      LOG.debug("after close of {}: {}", ctx.channel().remoteAddress(), reason);
      return;
    }
    if (closeReason == null) {
      closeReason = reason;
    }
    LOG.warn("closing log channel to primary {}: {}", ctx.channel().remoteAddress(), reason);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    lost(closeReason == null ? "connection closed by primary" : closeReason);
    ctx.fireChannelInactive();
  }

  /** Reports the loss once, whether the connection ended or never came up. */
  void lost(String reason) {
    synchronized (this) {
      if (lostReported) {
        return;
      }
      lostReported = true;
    }
    ready.completeExceptionally(new LogChannelClosedException(reason));
    LOG.info("primary lost: {}", reason);
    listener.primaryLost(reason);
  }

  void closeReason(String reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
  }
}
