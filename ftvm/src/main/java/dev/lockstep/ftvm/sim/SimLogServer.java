package dev.lockstep.ftvm.sim;

import dev.lockstep.ftvm.ft.BackupLink;
import dev.lockstep.ftvm.ft.ChannelSettings;
import dev.lockstep.ftvm.ft.FrameException;
import dev.lockstep.ftvm.ft.FrameType;
import dev.lockstep.ftvm.ft.HandshakeException;
import dev.lockstep.ftvm.ft.LogEntry;
import dev.lockstep.ftvm.ft.PrimaryListener;
import dev.lockstep.ftvm.ft.WireSize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The simulated twin of {@link dev.lockstep.ftvm.ft.LogServer}: the primary's end of the logging channel
 * on a {@link SimNetwork}, serving one backup at a time and telling its {@link PrimaryListener} what the
 * real server tells, when it would: a backup is connected after the handshake (HELLO, CHALLENGE,
 * RESPONSE: one and a half round trips), acks arrive in order, and the backup is lost on its close, a
 * damaged or stale-epoch frame, silence beyond the failure timeout, or a reset connection. Frames carry
 * the server's epoch; {@link #advanceEpoch} closes a backup of the old one. {@link BackupLink#writable()}
 * turns false when the bytes the backup has not yet taken exceed {@link ChannelSettings#writeBufferBytesMax()}
 * and true again below half of it, as Netty's write-buffer water marks do (the real channel also fills
 * the kernel's socket buffers first, so it stalls a little later).
 *
 * <p>Every listener call runs as a task of the primary's {@link SimProcess}.
 */
public final class SimLogServer {
  /** The service name the log port listens on unless told otherwise. */
  public static final String SERVICE = "log";

  private final SimProcess process;
  private final String nodeId;
  private final PrimaryListener listener;
  private final SimNetwork.Listening listening;
  private final List<Connection> connections = new ArrayList<>();
  private ChannelSettings settings;
  private Connection current;
  private long bytesSentClosed;
  private long bytesReceivedClosed;

  private SimLogServer(SimNetwork network, SimProcess process, String service, ChannelSettings settings,
      String nodeId, PrimaryListener listener) {
    this.process = process;
    this.settings = settings;
    this.nodeId = nodeId;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.listening = network.listen(process, service, this::accepted);
  }

  /** Starts listening on {@code service} of {@code process}. */
  public static SimLogServer start(SimNetwork network, SimProcess process, String service, ChannelSettings s,
      String nodeId, PrimaryListener l) {
    return new SimLogServer(network, process, service, s, nodeId, l);
  }

  /** Starts listening on {@link #SERVICE} of {@code process}. */
  public static SimLogServer start(SimNetwork network, SimProcess process, ChannelSettings s, String nodeId,
      PrimaryListener l) {
    return start(network, process, SERVICE, s, nodeId, l);
  }

  public SimNetwork.Address address() {
    return listening.address();
  }

  public long epoch() {
    return settings.epoch();
  }

  /**
   * Moves to a new epoch: connections from now on must speak {@code newEpoch}; a backup still connected
   * under the old epoch is closed with "epoch advanced to N".
   */
  public void advanceEpoch(long newEpoch) {
    if (newEpoch <= settings.epoch()) {
      throw new IllegalArgumentException("epoch " + newEpoch + " does not advance " + settings.epoch());
    }
    settings = settings.withEpoch(newEpoch);
    Connection c = current;
    if (c != null) {
      c.close("epoch advanced to " + newEpoch);
    }
  }

  /** Stops listening and closes every connection. */
  public void close() {
    listening.close();
    for (Connection c : new ArrayList<>(connections)) {
      if (c.socket != null) {
        c.socket.close();
      }
    }
  }

  /** Bytes sent over all connections, as the real frames would take on the wire. */
  public long bytesSent() {
    long sum = bytesSentClosed;
    for (Connection c : connections) {
      sum += c.bytesSent();
    }
    return sum;
  }

  public long bytesReceived() {
    long sum = bytesReceivedClosed;
    for (Connection c : connections) {
      sum += c.bytesReceived();
    }
    return sum;
  }

  private SimNetwork.Handler<SimLogFrame> accepted(SimSocket<SimLogFrame> s) {
    Connection c = new Connection(settings);
    connections.add(c);
    c.activate(s);
    return c;
  }

  /** Why {@code c} cannot be the backup, or null when it now is (BackupSlot.claim). */
  private String claim(Connection c) {
    if (c.settings().epoch() != settings.epoch()) {
      return "epoch advanced to " + settings.epoch();
    }
    if (current != null) {
      return "backup '" + current.backupNodeId + "' is already connected";
    }
    current = c;
    return null;
  }

  /** One backup connection; the {@link BackupLink} the primary sends through (LogServerHandler). */
  private final class Connection extends SimLogEndpoint implements BackupLink {
    private String backupNodeId;
    private boolean connected;
    private boolean unwritable;
    private long lastSentSeq;

    Connection(ChannelSettings settings) {
      super(settings, SimLogServer.this.process);
    }

    ChannelSettings settings() {
      return settings;
    }

    @Override
    protected void handshake(SimLogFrame f) {
      if (backupNodeId == null) {
        expect(f, FrameType.HELLO);
        SimLogFrame.Hello hello = (SimLogFrame.Hello) f.body();
        peerCluster(hello.cluster(), settings);
        backupNodeId = hello.nodeId();
        send(SimLogFrame.challenge(settings.epoch(), nodeId, settings.secret()));
        return;
      }
      expect(f, FrameType.RESPONSE);
      if (!Arrays.equals(((SimLogFrame.Response) f.body()).secret(), settings.secret())) {
        throw new HandshakeException("backup '" + backupNodeId + "' failed the handshake: bad HMAC");
      }
      handshakeDone = true;
      String refused = claim(this);
      if (refused != null) {
        close(refused);
        return;
      }
      connected = true;
      listener.backupConnected(this, backupNodeId);
    }

    @Override
    protected void frame(SimLogFrame f) {
      switch (f.type()) {
        case ACK -> {
          SimLogFrame.Ack a = (SimLogFrame.Ack) f.body();
          listener.acked(a.seq(), a.executedIcount());
        }
        case CONTROL -> {
          closeReason = "backup closed the channel: " + f.body();
          socket.close();
        }
        default -> throw new FrameException("unexpected " + f.type() + " frame from a backup");
      }
    }

    @Override
    protected void inactive(String networkReason) {
      connections.remove(this);
      bytesSentClosed += bytesSent();
      bytesReceivedClosed += bytesReceived();
      if (connected) {
        connected = false;
        if (current == this) {
          current = null;
        }
        listener.backupLost(closeReason == null ? "connection closed by backup" : closeReason);
      }
    }

    @Override
    public void sendSnapshot(long icount, byte[] snapshot) {
      int chunk = settings.snapshotChunkBytes();
      int offset = 0;
      do {
        int len = Math.min(chunk, snapshot.length - offset);
        byte[] data = Arrays.copyOfRange(snapshot, offset, offset + len);
        write(SimLogFrame.chunk(settings.epoch(), new SimLogFrame.Chunk(icount, snapshot.length, offset, data)));
        offset += len;
      } while (offset < snapshot.length);
    }

    @Override
    public void sendEntries(List<LogEntry> entries) {
      send(entries, -1);
    }

    @Override
    public void sendProgress(long icount) {
      send(List.of(), icount);
    }

    @Override
    public void send(List<LogEntry> entries, long progressIcount) {
      long expect = lastSentSeq;
      for (LogEntry e : entries) {
        if (expect != 0 && e.seq() != expect + 1) {
          throw new IllegalArgumentException("log entry seq " + e.seq() + " does not follow " + expect);
        }
        expect = e.seq();
      }
      List<List<LogEntry>> batches = WireSize.batches(entries, settings.batchBytesMax());
      lastSentSeq = expect;
      for (List<LogEntry> b : batches) {
        write(SimLogFrame.batch(settings.epoch(), b));
      }
      if (progressIcount >= 0) {
        write(SimLogFrame.progress(settings.epoch(), progressIcount));
      }
    }

    private void write(SimLogFrame f) {
      if (!socket.isOpen()) {
        return; // the loss is reported once through backupLost
      }
      send(f);
      if (socket.unconsumedBytes() > settings.writeBufferBytesMax()) {
        unwritable = true;
      }
    }

    @Override
    public boolean writable() {
      if (unwritable && socket.unconsumedBytes() < settings.writeBufferBytesMax() / 2) {
        unwritable = false;
      }
      return socket.isOpen() && !unwritable;
    }

    @Override
    public void close(String reason) {
      if (closeReason == null) {
        closeReason = "closed by primary: " + reason;
      }
      sendCloseAndClose(reason);
    }
  }
}
