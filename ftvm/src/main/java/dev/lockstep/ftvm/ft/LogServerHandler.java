package dev.lockstep.ftvm.ft;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's end of one connection, last in the pipeline: after the handshake it claims the backup
 * slot, hands acks to the {@link PrimaryListener} and is the {@link BackupLink} the driver sends through.
 * Any pipeline exception closes the connection with a logged reason.
 */
final class LogServerHandler extends ChannelInboundHandlerAdapter implements BackupLink {
  private static final Logger LOG = LoggerFactory.getLogger(LogServerHandler.class);

  private final ChannelSettings settings;
  private final PrimaryListener listener;
  private final BackupSlot slot;
  private volatile Channel channel;
  private volatile String backupNodeId;
  private volatile boolean connected;
  private volatile String closeReason;
  private long lastSentSeq;
  /** Writes handed to the event loop and not yet run; guarded by this. */
  private int queuedWrites;

  LogServerHandler(ChannelSettings settings, PrimaryListener listener, BackupSlot slot) {
    this.settings = settings;
    this.listener = listener;
    this.slot = slot;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof HandshakeHandler.Completed c) {
      backupNodeId = c.peerNodeId();
      String refused = slot.claim(this, settings.epoch());
      if (refused != null) {
        close(refused);
        return;
      }
      connected = true;
      LOG.info("backup '{}' connected from {} (epoch {})", backupNodeId, ctx.channel().remoteAddress(), settings.epoch());
      listener.backupConnected(this, backupNodeId);
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  String backupNodeId() {
    return backupNodeId;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Frame f = (Frame) msg;
    switch (f.type()) {
      case ACK -> {
        Payloads.Ack a = Payloads.ack(f.payload());
        listener.acked(a.seq(), a.executedIcount());
      }
      case CONTROL -> {
        closeReason = "backup closed the channel: " + Payloads.control(f.payload());
        ctx.close();
      }
      default -> throw new FrameException("unexpected " + f.type() + " frame from a backup");
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
    LOG.warn("closing log channel from {}{}: {}", ctx.channel().remoteAddress(),
        backupNodeId == null ? "" : " (backup '" + backupNodeId + "')", reason);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (connected) {
      connected = false;
      slot.release(this);
      String reason = closeReason == null ? "connection closed by backup" : closeReason;
      LOG.info("backup '{}' lost: {}", backupNodeId, reason);
      listener.backupLost(reason);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public synchronized void sendSnapshot(long icount, byte[] snapshot) {
    int chunk = settings.snapshotChunkBytes();
    int offset = 0;
    List<Frame> frames = new ArrayList<>();
    do {
      int len = Math.min(chunk, snapshot.length - offset);
      byte[] data = Arrays.copyOfRange(snapshot, offset, offset + len);
      frames.add(frame(FrameType.SNAPSHOT_CHUNK, Payloads.snapshotChunk(
          new Payloads.SnapshotChunk(icount, snapshot.length, offset, data))));
      offset += len;
    } while (offset < snapshot.length);
    // one flush: what the socket does not take at once leaves as the event loop finds it writable
    write(frames);
  }

  @Override
  public synchronized void sendEntries(List<LogEntry> entries) {
    send(entries, -1);
  }

  @Override
  public synchronized void sendProgress(long icount) {
    send(List.of(), icount);
  }

  @Override
  public synchronized void send(List<LogEntry> entries, long progressIcount) {
    long expect = lastSentSeq;
    for (LogEntry e : entries) {
      if (expect != 0 && e.seq() != expect + 1) {
        throw new IllegalArgumentException("log entry seq " + e.seq() + " does not follow " + expect);
      }
      expect = e.seq();
    }
    List<Frame> frames = new ArrayList<>();
    List<LogEntry> batch = new ArrayList<>();
    int bytes = Payloads.BATCH_HEADER_BYTES;
    for (LogEntry e : entries) {
      int size = Payloads.entryBytes(e);
      if (Payloads.BATCH_HEADER_BYTES + size > settings.batchBytesMax()) {
        throw new IllegalArgumentException("log entry " + e.seq() + " of " + size + " bytes exceeds batchBytesMax");
      }
      if (bytes + size > settings.batchBytesMax()) {
        frames.add(frame(FrameType.LOG_BATCH, Payloads.batch(batch)));
        batch = new ArrayList<>();
        bytes = Payloads.BATCH_HEADER_BYTES;
      }
      batch.add(e);
      bytes += size;
    }
    if (!batch.isEmpty()) {
      frames.add(frame(FrameType.LOG_BATCH, Payloads.batch(batch)));
    }
    if (progressIcount >= 0) {
      frames.add(frame(FrameType.PROGRESS, Payloads.progress(progressIcount)));
    }
    lastSentSeq = expect;
    write(frames);
  }

  @Override
  public boolean writable() {
    Channel c = channel;
    return c != null && c.isActive() && c.isWritable();
  }

  @Override
  public void close(String reason) {
    Channel c = channel;
    if (closeReason == null) {
      closeReason = "closed by primary: " + reason;
    }
    LOG.info("closing log channel to backup '{}': {}", backupNodeId, reason);
    c.writeAndFlush(new Frame(FrameType.CONTROL, settings.epoch(), Payloads.close(reason)))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private Frame frame(FrameType type, byte[] payload) {
    return new Frame(type, settings.epoch(), payload);
  }

  /** Writes the frames in order and flushes once: one system call for all of them. */
  private void write(List<Frame> frames) {
    if (!channel.isActive() || frames.isEmpty()) {
      // The loss is reported once through backupLost; writes after it go nowhere.
      return;
    }
    // TRICKY: a write from outside the event loop is queued as a task, while one from the event loop
    // goes out at once, ahead of writes still queued. A write on the loop goes straight out only when
    // none of this handler's writes waits in the queue (callers hold this handler's lock, so none can
    // be queued meanwhile); otherwise it queues behind, and frames leave in the order they were handed
    // over. The handler counts its own queued writes: it works on any kind of event loop.
    io.netty.channel.EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop() && queuedWrites == 0) {
      writeNow(frames);
    } else {
      queuedWrites++;
      loop.execute(() -> {
        synchronized (this) {
          queuedWrites--;
        }
        writeNow(frames);
      });
    }
  }

  private void writeNow(List<Frame> frames) {
    for (Frame f : frames) {
      channel.write(f, channel.voidPromise());
    }
    channel.flush();
  }
}
