package dev.lockstep.ftvm.client;

import dev.lockstep.ftvm.sim.Sim;
import dev.lockstep.ftvm.sim.SimClientPort;
import dev.lockstep.ftvm.sim.SimTarget;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The twin of {@link FtClient} in the simulated world, for one clientId, one call at a time, driven by
 * callbacks on the simulation thread (it never blocks) and timed in virtual time. The rules are the real
 * client's: each {@link #call} takes the next reqSeq and sends it to the primary {@link
 * SimTarget#publishedPrimary() published} now; it resends the same reqSeq after {@link #resendInterval}
 * of silence and after every reset and reconnect (to the newly published primary, if it changed), at most
 * {@link FtClient#SENDS_MAX} sends, and ends within its timeout:
 *
 * <ul>
 *   <li>{@link Result.Ok} / {@link Result.Fail} with a reply: classified exactly as {@link FtClient} does;
 *   <li>{@link Result.Fail} without a reply: no request was ever handed to an accepted connection;
 *   <li>{@link Result.Info}: a request may have been delivered and no reply came in time.
 * </ul>
 *
 * Replies for other reqSeqs (late duplicates) and for other clients are dropped.
 */
public final class SimFtClient {

  private final SimTarget target;
  private final Sim sim;
  private final int clientId;
  private final long timeoutNanos;
  private final long resendIntervalNanos;
  private int reqSeq;
  private Call call;
  private SimClientPort.Connection connection;
  private String connectedTo;
  private boolean connectionReady;
  private boolean closed;

  public SimFtClient(SimTarget target, int clientId, long timeoutNanos) {
    this.target = Objects.requireNonNull(target, "target");
    this.sim = target.sim();
    this.clientId = clientId;
    if (timeoutNanos <= 0) {
      throw new IllegalArgumentException("timeout must be positive: " + timeoutNanos);
    }
    this.timeoutNanos = timeoutNanos;
    this.resendIntervalNanos = Math.min(timeoutNanos / 3, FtClient.RESEND_INTERVAL_MAX.toNanos());
  }

  public int clientId() {
    return clientId;
  }

  /** The reqSeq of the last call (0 before the first). */
  public int lastReqSeq() {
    return reqSeq;
  }

  public long resendIntervalNanos() {
    return resendIntervalNanos;
  }

  /** True while a call waits for its outcome. */
  public boolean busy() {
    return call != null;
  }

  /**
   * Starts one request; {@code done} hears its outcome exactly once, within the timeout, on the
   * simulation thread (never from inside this method).
   *
   * @throws IllegalStateException when a call is in flight or the client is closed
   */
  public void call(Request request, Consumer<Result> done) {
    if (call != null || closed) {
      throw new IllegalStateException(closed ? "client closed" : "one call at a time");
    }
    reqSeq++;
    Call c = new Call(request, request.packet(clientId, reqSeq), reqSeq, done);
    call = c;
    c.deadline = sim.after(timeoutNanos, () -> finish(c, c.sent
        ? new Result.Info(c.why)
        : new Result.Fail(Optional.empty(), "never sent: " + c.why)));
    c.retry = sim.after(0, () -> attempt(c));
  }

  /** Drops the connection; an outstanding call is abandoned without an outcome. */
  public void close() {
    closed = true;
    if (call != null) {
      call.cancelTimers();
      call = null;
    }
    disconnect();
  }

  private void attempt(Call c) {
    if (call != c) {
      return;
    }
    if (c.sends >= FtClient.SENDS_MAX) {
      finish(c, new Result.Info(c.why)); // sent at least once: unknown, as the real client's loop ends
      return;
    }
    String primary = target.publishedPrimary();
    if (primary == null) {
      c.why = "no primary published in ZooKeeper";
      backoff(c);
      return;
    }
    if (connection != null && primary.equals(connectedTo)) {
      if (connectionReady) {
        send(c);
      }
      return; // connecting: the connected callback sends
    }
    disconnect();
    connectedTo = primary;
    SimClientPort port = target.clientPort(primary);
    End end = new End();
    connection = port.connect(end);
    end.mine = connection; // callbacks come later, from the Sim's queue
  }

  private void send(Call c) {
    connection.send(c.packet);
    c.sent = true;
    c.sends++;
    c.why = "no reply within " + timeoutNanos / 1_000_000 + " ms";
    c.retry = sim.after(resendIntervalNanos, () -> attempt(c));
  }

  private void backoff(Call c) {
    c.retry = sim.after(FtClient.RECONNECT_BACKOFF.toNanos(), () -> attempt(c));
  }

  private void finish(Call c, Result result) {
    if (call != c) {
      return;
    }
    c.cancelTimers();
    call = null;
    c.done.accept(result);
  }

  private void disconnect() {
    if (connection != null) {
      connection.close();
    }
    connection = null;
    connectedTo = null;
    connectionReady = false;
  }

  /** The client end of the current connection; callbacks of a replaced connection are ignored. */
  private final class End implements SimClientPort.ClientEnd {
    private SimClientPort.Connection mine;

    @Override
    public void connected() {
      if (!current()) {
        return;
      }
      connectionReady = true;
      if (call != null) {
        call.retry.cancel();
        send(call);
      }
    }

    @Override
    public void reply(byte[] packet) {
      if (!current() || call == null || packet.length < GuestProtocol.REPLY_HEADER_BYTES) {
        return;
      }
      Reply reply;
      try {
        reply = Reply.decode(packet);
      } catch (IllegalArgumentException e) {
        reset(); // the real client treats an unreadable reply as a broken connection
        return;
      }
      if (reply.clientId() != clientId || reply.reqSeq() != call.reqSeq) {
        return;
      }
      finish(call, FtClient.classify(call.request, reply));
    }

    @Override
    public void reset() {
      if (!current()) {
        return;
      }
      Call c = call;
      String was = connectedTo;
      connection = null;
      connectedTo = null;
      connectionReady = false;
      if (c != null) {
        c.why = "connection to primary '" + was + "' failed: reset";
        c.retry.cancel();
        backoff(c);
      }
    }

    private boolean current() {
      return !closed && connection != null && connection == mine;
    }
  }

  private static final class Call {
    final Request request;
    final byte[] packet;
    final int reqSeq;
    final Consumer<Result> done;
    Sim.Task deadline;
    Sim.Task retry;
    boolean sent;
    int sends;
    String why = "no primary published in ZooKeeper";

    Call(Request request, byte[] packet, int reqSeq, Consumer<Result> done) {
      this.request = request;
      this.packet = packet;
      this.reqSeq = reqSeq;
      this.done = done;
    }

    void cancelTimers() {
      deadline.cancel();
      if (retry != null) {
        retry.cancel();
      }
    }
  }
}
