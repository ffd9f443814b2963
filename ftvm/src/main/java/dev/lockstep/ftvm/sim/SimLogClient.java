package dev.lockstep.ftvm.sim;

import dev.lockstep.ftvm.ft.BackupListener;
import dev.lockstep.ftvm.ft.ChannelSettings;
import dev.lockstep.ftvm.ft.FrameException;
import dev.lockstep.ftvm.ft.FrameType;
import dev.lockstep.ftvm.ft.HandshakeException;
import dev.lockstep.ftvm.ft.LogChannelClosedException;
import dev.lockstep.ftvm.ft.LogEntry;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The simulated twin of {@link dev.lockstep.ftvm.ft.LogClient}: the backup's end of the logging channel
 * on a {@link SimNetwork}. {@link #connect} returns at once; {@link #ready()} completes with the
 * primary's node id after the handshake, and any failure, a refused or timed-out connect included,
 * ends in one {@link BackupListener#primaryLost}. Entries must arrive consecutively and snapshots whole
 * within their bound, as the real client checks; frames of another epoch or damaged ones close the
 * connection. Every listener call runs as a task of the backup's {@link SimProcess}.
 */
public final class SimLogClient {
  private final Endpoint endpoint;
  private final SimNetwork.Address primary;
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private final BackupListener listener;
  private boolean lostReported;

  private SimLogClient(SimProcess process, SimNetwork.Address primary, ChannelSettings settings,
      BackupListener listener) {
    this.endpoint = new Endpoint(settings, process);
    this.primary = primary;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Connects from {@code process} to the primary's log port and starts the handshake as {@code nodeId}. */
  public static SimLogClient connect(SimNetwork network, SimProcess process, SimNetwork.Address primary,
      ChannelSettings s, String nodeId, BackupListener l) {
    SimLogClient c = new SimLogClient(process, primary, s, l);
    c.endpoint.nodeId = nodeId;
    c.endpoint.socket = network.connect(process, primary, c.endpoint, s.failureTimeout().toNanos());
    return c;
  }

  /** Completes with the primary's node id once the handshake succeeded; fails with the reason the channel ended. */
  public CompletableFuture<String> ready() {
    return ready;
  }

  /** Tells the primary every entry up to {@code seq} is stored here and the machine executed up to {@code executedIcount}. */
  public void ack(long seq, long executedIcount) {
    if (!endpoint.socket.isOpen()) {
      return;
    }
    endpoint.sendFrame(SimLogFrame.ack(endpoint.settings().epoch(), seq, executedIcount));
  }

  /** True while the channel is open and authenticated. */
  public boolean connected() {
    return endpoint.socket.isOpen() && ready.isDone() && !ready.isCompletedExceptionally();
  }

  /** Sends the reason to the primary and closes; {@link BackupListener#primaryLost} follows. Idempotent. */
  public void close(String reason) {
    if (endpoint.closeReason() == null) {
      endpoint.closeReason("closed by this backup: " + reason);
    }
    if (endpoint.socket.established()) {
      endpoint.sendCloseAndClose(reason);
    } else {
      endpoint.socket.close();
    }
  }

  public void close() {
    close("backup closing");
  }

  public long bytesSent() {
    return endpoint.bytesSent();
  }

  public long bytesReceived() {
    return endpoint.bytesReceived();
  }

  private void lost(String reason) {
    if (lostReported) {
      return;
    }
    lostReported = true;
    ready.completeExceptionally(new LogChannelClosedException(reason));
    listener.primaryLost(reason);
  }

  /** The connection's end (LogClientHandler with the shared pipeline of {@link SimLogEndpoint}). */
  private final class Endpoint extends SimLogEndpoint {
    private String nodeId;
    private boolean opened;
    private long lastSeq;
    private byte[] snapshot;
    private long snapshotIcount;
    private int snapshotFilled;

    Endpoint(ChannelSettings settings, SimProcess process) {
      super(settings, process);
    }

    ChannelSettings settings() {
      return settings;
    }

    String closeReason() {
      return closeReason;
    }

    void closeReason(String reason) {
      closeReason = reason;
    }

    void sendFrame(SimLogFrame f) {
      send(f);
    }

    @Override
    public void opened(SimSocket<SimLogFrame> s) {
      opened = true;
      activate(s);
      send(SimLogFrame.hello(settings.epoch(), settings.cluster(), nodeId, settings.secret()));
    }

    @Override
    protected void handshake(SimLogFrame f) {
      expect(f, FrameType.CHALLENGE);
      SimLogFrame.Challenge c = (SimLogFrame.Challenge) f.body();
      if (!Arrays.equals(c.secret(), settings.secret())) {
        throw new HandshakeException("primary '" + c.nodeId() + "' failed the handshake: bad HMAC");
      }
      send(SimLogFrame.response(settings.epoch(), settings.secret()));
      handshakeDone = true;
      ready.complete(c.nodeId());
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void frame(SimLogFrame f) {
      switch (f.type()) {
        case LOG_BATCH -> entries((List<LogEntry>) f.body());
        case PROGRESS -> listener.progress((Long) f.body());
        case SNAPSHOT_CHUNK -> chunk((SimLogFrame.Chunk) f.body());
        case CONTROL -> {
          closeReason = "primary closed the channel: " + f.body();
          socket.close();
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
      listener.entries(batch);
    }

    private void chunk(SimLogFrame.Chunk c) {
      if (c.offset() == 0) {
        if (c.totalBytes() > settings.snapshotBytesMax() || c.totalBytes() > Integer.MAX_VALUE - 8) {
          throw new FrameException("snapshot of " + c.totalBytes() + " bytes exceeds the bound of "
              + settings.snapshotBytesMax());
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
    protected void inactive(String networkReason) {
      if (!opened && closeReason == null) {
        lost("cannot connect to the primary's log port " + primary + ": " + networkReason);
        return;
      }
      lost(closeReason == null ? "connection closed by primary" : closeReason);
    }
  }
}
