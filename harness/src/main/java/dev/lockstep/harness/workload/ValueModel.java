package dev.lockstep.harness.workload;

import dev.lockstep.harness.generator.Invocation;
import java.util.List;

/**
 * The mapping between Jepsen ops and guest requests. A register is key 0 of the kv guest; the append
 * workload's {@code read} is the append guest's READ_LIST. A reply's status decides the outcome:
 * OK happened, FAIL / FULL / BAD_REQUEST did not happen, NIL is a read of an absent key (value nil),
 * and no reply is {@code info}.
 */
public final class ValueModel {

  private ValueModel() {}

  /** The guest request for an invocation; {@code lists} selects the append guest's read. */
  public static GuestOp request(Invocation invocation, boolean lists) {
    int key = invocation.key() == null ? 0 : invocation.key();
    return switch (invocation.f()) {
      case Invocation.READ -> new GuestOp(lists ? GuestOp.READ_LIST : GuestOp.READ, key, 0, 0);
      case Invocation.WRITE -> new GuestOp(GuestOp.WRITE, key, intValue(invocation), 0);
      case Invocation.APPEND -> new GuestOp(GuestOp.APPEND, key, intValue(invocation), 0);
      case Invocation.CAS -> {
        List<?> pair = (List<?>) invocation.value();
        yield new GuestOp(GuestOp.CAS, key, (Integer) pair.get(0), (Integer) pair.get(1));
      }
      default -> throw new IllegalArgumentException("no guest request for f=" + invocation.f());
    };
  }

  /** The completion of {@code invocation} given what became of its request. */
  public static Completion complete(Invocation invocation, GuestResult result) {
    if (result instanceof GuestResult.Unknown unknown) {
      return Completion.info(invocation.value(), unknown.reason());
    }
    if (result instanceof GuestResult.NotSent notSent) {
      return Completion.fail(invocation.value(), notSent.reason());
    }
    GuestResult.Reply reply = (GuestResult.Reply) result;
    return switch (reply.status()) {
      case GuestResult.OK -> Completion.ok(okValue(invocation, reply));
      case GuestResult.NIL -> Invocation.READ.equals(invocation.f())
          ? Completion.ok(null)
          : Completion.fail(invocation.value(), "nil");
      case GuestResult.FAIL -> Completion.fail(invocation.value(), Invocation.CAS.equals(invocation.f()) ? "cas-mismatch" : "fail");
      case GuestResult.FULL -> Completion.fail(invocation.value(), "full");
      case GuestResult.BAD_REQUEST -> Completion.fail(invocation.value(), "bad-request");
      default -> Completion.info(invocation.value(), "unknown-status-" + reply.status());
    };
  }

  private static Object okValue(Invocation invocation, GuestResult.Reply reply) {
    if (!Invocation.READ.equals(invocation.f())) {
      return invocation.value();
    }
    return reply.list() != null ? reply.list() : reply.value();
  }

  private static int intValue(Invocation invocation) {
    return (Integer) invocation.value();
  }
}
