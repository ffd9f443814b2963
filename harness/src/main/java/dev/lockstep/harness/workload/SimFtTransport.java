package dev.lockstep.harness.workload;

import dev.lockstep.ftvm.client.Op;
import dev.lockstep.ftvm.client.Request;
import dev.lockstep.ftvm.client.Result;
import dev.lockstep.ftvm.client.SimFtClient;
import dev.lockstep.ftvm.sim.SimTarget;
import java.util.function.Consumer;

/**
 * The simulated twin of {@link FtTransport}: one {@link SimFtClient} for one client id, callback-driven on
 * the simulation thread. The planted bug {@code no-dedup} acts exactly as in {@link FtTransport}: a call
 * that ends unknown is retried as a NEW request (a fresh reqSeq) up to {@link
 * FtTransport#NO_DEDUP_RETRIES_MAX} times, and the retry's answer is reported as the op's.
 */
public final class SimFtTransport {

  private final SimFtClient client;
  private final boolean noDedup;

  public SimFtTransport(SimTarget target, int clientId, long callTimeoutNanos, boolean noDedup) {
    this.client = new SimFtClient(target, clientId, callTimeoutNanos);
    this.noDedup = noDedup;
  }

  /** Starts {@code op}; {@code done} hears what became of it, once. */
  public void call(GuestOp op, Consumer<GuestResult> done) {
    Request request = new Request(Op.ofCode(op.op()), op.key(), op.arg1(), op.arg2());
    attempt(request, 0, result -> done.accept(FtTransport.convert(result, op.op() == GuestOp.READ_LIST)));
  }

  private void attempt(Request request, int retry, Consumer<Result> done) {
    client.call(request, result -> {
      if (noDedup && retry < FtTransport.NO_DEDUP_RETRIES_MAX && result instanceof Result.Info) {
        attempt(request, retry + 1, done);
      } else {
        done.accept(result);
      }
    });
  }

  public void close() {
    client.close();
  }
}
