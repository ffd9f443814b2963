package dev.lockstep.ftvm.client;

import dev.lockstep.ftvm.golive.PrimaryRecord;
import dev.lockstep.ftvm.golive.PrimaryWatch;
import dev.lockstep.ftvm.tls.Tls;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of one cluster, for one clientId, one call at a time (a Jepsen process). Each {@link #call}
 * takes the next reqSeq, sends it to the primary published in ZooKeeper over its client port (u32
 * big-endian length + guest packet), resends the same reqSeq after {@link #resendInterval()} of silence
 * and after every reconnect, and returns within its timeout:
 *
 * <ul>
 *   <li>{@link Result.Ok}: a reply for this reqSeq arrived and says the op happened (READ with NIL is ok);
 *   <li>{@link Result.Fail}: the guest said it did not happen (FAIL, NIL for cas, FULL, BAD_REQUEST), or
 *       no byte of the request was ever written to a primary;
 *   <li>{@link Result.Info}: the request may have been delivered and no reply came in time.
 * </ul>
 *
 * Replies for older reqSeqs (late duplicates) and for other clients are dropped. Not thread-safe.
 */
public final class FtClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FtClient.class);
  /** Sends of one request (first send plus resends) per call. */
  public static final int SENDS_MAX = 64;
  /** Pause between attempts to reach a primary that refused or vanished. */
  public static final Duration RECONNECT_BACKOFF = Duration.ofMillis(25);
  public static final Duration RESEND_INTERVAL_MAX = Duration.ofMillis(500);
  public static final Duration SESSION_TIMEOUT_DEFAULT = Duration.ofSeconds(5);

  private final PrimaryWatch watch;
  private final boolean ownsWatch;
  private final int clientId;
  private final Duration timeout;
  private final Duration resendInterval;
  private final LongSupplier nanoClock;
  private int reqSeq;
  private Socket socket;
  private PrimaryRecord connectedTo;
  private DataInputStream in;
  private DataOutputStream out;
  private SSLContext tls;

  /** A client with its own ZooKeeper watch of the cluster's primary. */
  public FtClient(String zkConnect, String cluster, int clientId, Duration timeout) {
    this(new PrimaryWatch(zkConnect, cluster, SESSION_TIMEOUT_DEFAULT), true, clientId, timeout, System::nanoTime);
  }

  /** A client sharing a watch with others (the caller closes the watch). */
  public FtClient(PrimaryWatch watch, int clientId, Duration timeout) {
    this(watch, false, clientId, timeout, System::nanoTime);
  }

  private FtClient(PrimaryWatch watch, boolean ownsWatch, int clientId, Duration timeout, LongSupplier nanoClock) {
    this.watch = Objects.requireNonNull(watch, "watch");
    this.ownsWatch = ownsWatch;
    this.clientId = clientId;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    Duration third = timeout.dividedBy(3);
    this.resendInterval = third.compareTo(RESEND_INTERVAL_MAX) > 0 ? RESEND_INTERVAL_MAX : third;
    this.nanoClock = nanoClock;
  }

  /**
   * Speaks TLS to the primary's client port from now on, trusting only the CA of {@code ctx} (see
   * {@code Tls.clientContext}) and checking that the certificate names the address published in ZooKeeper.
   */
  public FtClient tls(SSLContext ctx) {
    this.tls = Objects.requireNonNull(ctx, "ctx");
    return this;
  }

  public int clientId() {
    return clientId;
  }

  /**
   * Makes the next call use {@code lastReqSeq + 1}: a client id reused across processes (the command
   * line) must keep growing its reqSeqs, or the guest would answer from its reply cache.
   */
  public void continueAfter(int lastReqSeq) {
    this.reqSeq = lastReqSeq;
  }

  /** The reqSeq of the last call (0 before the first). */
  public int lastReqSeq() {
    return reqSeq;
  }

  public Duration resendInterval() {
    return resendInterval;
  }

  /** Runs one request to an outcome within the timeout; never throws for a network or cluster failure. */
  public Result call(Request r) {
    reqSeq++;
    byte[] packet = r.packet(clientId, reqSeq);
    long deadline = nanoClock.getAsLong() + timeout.toNanos();
    boolean sent = false;
    String why = "no primary published in ZooKeeper";
    for (int sends = 0; sends < SENDS_MAX; ) {
      long left = deadline - nanoClock.getAsLong();
      if (left <= 0) {
        break;
      }
      try {
        if (!ensureConnected(left)) {
          why = "no primary published in ZooKeeper";
          pause(Math.min(left, RECONNECT_BACKOFF.toNanos()));
          continue;
        }
        send(packet);
        sent = true;
        sends++;
        Reply reply = awaitReply(Math.min(deadline - nanoClock.getAsLong(), resendInterval.toNanos()));
        if (reply != null) {
          return classify(r, reply);
        }
        why = "no reply within " + timeout.toMillis() + " ms";
      } catch (IOException e) {
        why = "connection to " + describe(connectedTo) + " failed: " + e.getMessage();
        LOG.debug("client {}: {}", clientId, why);
        disconnect();
        pause(Math.min(deadline - nanoClock.getAsLong(), RECONNECT_BACKOFF.toNanos()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        why = "interrupted";
        break;
      }
    }
    return sent ? new Result.Info(why) : new Result.Fail(Optional.empty(), "never sent: " + why);
  }

  static Result classify(Request r, Reply reply) {
    return switch (reply.status()) {
      case OK -> new Result.Ok(reply);
      case NIL -> r.op() == Op.CAS
          ? new Result.Fail(Optional.of(reply), "cas on an absent key")
          : new Result.Ok(reply);
      case FAIL -> new Result.Fail(Optional.of(reply), "guest refused: " + r.op() + " did not apply");
      case FULL -> new Result.Fail(Optional.of(reply), "guest is full");
      case BAD_REQUEST -> new Result.Fail(Optional.of(reply), "guest says bad request");
    };
  }

  /** Connects to the published primary unless already connected to it; false when none is published. */
  private boolean ensureConnected(long leftNanos) throws IOException, InterruptedException {
    Optional<PrimaryRecord> primary = watch.current();
    if (primary.isEmpty()) {
      watch.awaitChange(watch.version(), Duration.ofNanos(Math.min(leftNanos, RECONNECT_BACKOFF.toNanos())));
      primary = watch.current();
      if (primary.isEmpty()) {
        return false;
      }
    }
    if (socket != null && primary.get().equals(connectedTo)) {
      return true;
    }
    disconnect();
    InetSocketAddress a = primary.get().node().clientAddress();
    Socket s = new Socket();
    connectedTo = primary.get();
    s.setTcpNoDelay(true);
    int connectMs = (int) Math.max(1, Math.min(leftNanos / 1_000_000, Integer.MAX_VALUE));
    s.connect(a, connectMs);
    if (tls != null) {
      SSLSocket ss = (SSLSocket) tls.getSocketFactory().createSocket(s, a.getHostString(), a.getPort(), true);
      ss.setSSLParameters(Tls.clientParameters(tls));
      ss.setSoTimeout(connectMs);
      try {
        ss.startHandshake(); // a certificate the CA did not sign, or for another name, ends here: nothing was sent
      } catch (IOException e) {
        ss.close();
        LOG.warn("client {}: TLS with primary {} failed: {}", clientId, describe(connectedTo), e.getMessage());
        throw e;
      }
      s = ss;
    }
    socket = s;
    in = new DataInputStream(s.getInputStream());
    out = new DataOutputStream(s.getOutputStream());
    LOG.debug("client {} connected to primary {}", clientId, describe(connectedTo));
    return true;
  }

  /** One write of length and packet, so a failed write can never leave a whole request behind. */
  private void send(byte[] packet) throws IOException {
    byte[] framed = java.nio.ByteBuffer.allocate(4 + packet.length).putInt(packet.length).put(packet).array();
    out.write(framed);
    out.flush();
  }

  /** The reply for the current reqSeq, or null when none arrives within {@code waitNanos}. */
  private Reply awaitReply(long waitNanos) throws IOException {
    long until = nanoClock.getAsLong() + waitNanos;
    while (true) {
      long left = until - nanoClock.getAsLong();
      if (left <= 0) {
        return null;
      }
      socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
      int len;
      try {
        len = in.readInt();
      } catch (SocketTimeoutException e) {
        return null;
      }
      if (len < GuestProtocol.REPLY_HEADER_BYTES || len > GuestProtocol.MTU_BYTES) {
        throw new IOException("reply length " + len + " out of range");
      }
      byte[] packet = new byte[len];
      // TRICKY: once a length arrived, the rest of the packet follows; a timeout here would desync the stream.
      socket.setSoTimeout((int) Math.max(1, resendInterval.toMillis()));
      in.readFully(packet);
      Reply reply;
      try {
        reply = Reply.decode(packet);
      } catch (IllegalArgumentException e) {
        throw new IOException("unreadable reply: " + e.getMessage());
      }
      if (reply.clientId() != clientId || reply.reqSeq() != reqSeq) {
        LOG.debug("client {} dropping reply for client {} reqSeq {} (waiting for {})", clientId,
            Integer.toUnsignedString(reply.clientId()), Integer.toUnsignedString(reply.reqSeq()), reqSeq);
        continue;
      }
      return reply;
    }
  }

  private void pause(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      watch.awaitChange(watch.version(), Duration.ofNanos(nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void disconnect() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("client {}: closing socket: {}", clientId, e.getMessage());
      }
    }
    socket = null;
    in = null;
    out = null;
  }

  private static String describe(PrimaryRecord p) {
    return p == null ? "(none)" : "primary '" + p.node().nodeId() + "' of epoch " + p.epoch() + " at "
        + p.node().host() + ":" + p.node().clientPort();
  }

  @Override
  public void close() {
    disconnect();
    if (ownsWatch) {
      watch.close();
    }
  }
}
