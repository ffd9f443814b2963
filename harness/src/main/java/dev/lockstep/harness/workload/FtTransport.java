package dev.lockstep.harness.workload;

import dev.lockstep.ftvm.client.FtClient;
import dev.lockstep.ftvm.client.Op;
import dev.lockstep.ftvm.client.Reply;
import dev.lockstep.ftvm.client.Request;
import dev.lockstep.ftvm.client.Result;
import dev.lockstep.ftvm.client.Status;
import dev.lockstep.ftvm.golive.PrimaryWatch;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link GuestTransport} over the ftvm client library: one {@link FtClient} per client id, all sharing
 * one ZooKeeper watch of the primary. With {@code noDedup} (the planted bug {@code --unsafe no-dedup}) a
 * call that ends unknown is retried as a NEW request — a fresh reqSeq the guest cannot recognise as a
 * retry — up to {@link #NO_DEDUP_RETRIES_MAX} times, and the retry's answer is reported as the op's.
 */
public final class FtTransport implements GuestTransport {

  /** Fresh-id retries of one op under the planted no-dedup bug. */
  public static final int NO_DEDUP_RETRIES_MAX = 3;

  private final FtClient client;
  private final boolean noDedup;

  public FtTransport(PrimaryWatch watch, ClientTarget target, int clientId, boolean noDedup) {
    this.client = new FtClient(watch, clientId, target.callTimeout());
    this.noDedup = noDedup;
  }

  /** Speaks TLS to the primary when {@code ctx} is not null (see {@link FtClient#tls}). */
  public FtTransport tls(javax.net.ssl.SSLContext ctx) {
    if (ctx != null) {
      client.tls(ctx);
    }
    return this;
  }

  @Override
  public GuestResult call(GuestOp op) {
    Request request = new Request(Op.ofCode(op.op()), op.key(), op.arg1(), op.arg2());
    Result result = client.call(request);
    for (int retry = 0; noDedup && retry < NO_DEDUP_RETRIES_MAX && result instanceof Result.Info; retry++) {
      result = client.call(request);
    }
    return convert(result, op.op() == GuestOp.READ_LIST);
  }

  static GuestResult convert(Result result, boolean list) {
    if (result instanceof Result.Ok ok) {
      return reply(ok.reply(), list);
    }
    if (result instanceof Result.Fail fail) {
      return fail.reply().isPresent() ? reply(fail.reply().get(), list) : new GuestResult.NotSent(fail.reason());
    }
    return new GuestResult.Unknown(((Result.Info) result).reason());
  }

  private static GuestResult.Reply reply(Reply r, boolean list) {
    int status = statusCode(r.status());
    List<Integer> elements = null;
    Integer value = null;
    if (status == GuestResult.OK && list) {
      elements = new ArrayList<>();
      for (int e : r.list()) {
        elements.add(e);
      }
    } else if (status == GuestResult.OK) {
      value = r.value();
    }
    return new GuestResult.Reply(status, value, elements, Integer.toUnsignedLong(r.outSeq()));
  }

  private static int statusCode(Status status) {
    return switch (status) {
      case OK -> GuestResult.OK;
      case FAIL -> GuestResult.FAIL;
      case NIL -> GuestResult.NIL;
      case BAD_REQUEST -> GuestResult.BAD_REQUEST;
      case FULL -> GuestResult.FULL;
    };
  }

  @Override
  public void close() {
    client.close();
  }
}
