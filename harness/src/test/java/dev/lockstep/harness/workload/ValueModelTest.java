package dev.lockstep.harness.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lockstep.harness.generator.Invocation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueModelTest {

  @Test
  void requestsFollowTheGuestLayout() {
    assertEquals(new GuestOp(GuestOp.READ, 0, 0, 0), ValueModel.request(Invocation.read(null), false));
    assertEquals(new GuestOp(GuestOp.READ_LIST, 3, 0, 0), ValueModel.request(Invocation.read(3), true));
    assertEquals(new GuestOp(GuestOp.WRITE, 2, 4, 0), ValueModel.request(Invocation.write(2, 4), false));
    assertEquals(new GuestOp(GuestOp.CAS, 0, 1, 2), ValueModel.request(Invocation.cas(null, 1, 2), false));
    assertEquals(new GuestOp(GuestOp.APPEND, 5, 9, 0), ValueModel.request(Invocation.append(5, 9), true));
  }

  @Test
  void repliesBecomeCompletions() {
    Completion read = ValueModel.complete(Invocation.read(null), new GuestResult.Reply(GuestResult.OK, 3, null, 1));
    assertEquals(Completion.ok(3), read);
    Completion nil = ValueModel.complete(Invocation.read(null), new GuestResult.Reply(GuestResult.NIL, null, null, 2));
    assertEquals(Outcome.OK, nil.outcome());
    assertNull(nil.value());
    Completion list = ValueModel.complete(Invocation.read(1), new GuestResult.Reply(GuestResult.OK, null, List.of(1, 2), 3));
    assertEquals(List.of(1, 2), list.value());
    Completion casFail = ValueModel.complete(Invocation.cas(null, 1, 2), new GuestResult.Reply(GuestResult.FAIL, null, null, 4));
    assertEquals(Outcome.FAIL, casFail.outcome());
    assertEquals(List.of(1, 2), casFail.value());
    Completion write = ValueModel.complete(Invocation.write(null, 4), new GuestResult.Reply(GuestResult.OK, null, null, 5));
    assertEquals(Completion.ok(4), write);
    Completion timeout = ValueModel.complete(Invocation.append(0, 7), new GuestResult.Unknown("timeout"));
    assertEquals(Completion.info(7, "timeout"), timeout);
    Completion full = ValueModel.complete(Invocation.append(0, 7), new GuestResult.Reply(GuestResult.FULL, null, null, 6));
    assertEquals(Outcome.FAIL, full.outcome());
  }

  @Test
  void brokenTransportEndsInfo() throws Exception {
    GuestTransport broken = new GuestTransport() {
      @Override
      public GuestResult call(GuestOp op) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void close() {}
    };
    try (GuestClient client = new GuestClient(false, (t, id) -> broken)) {
      client.open(new ClientTarget("127.0.0.1:1", "c", java.time.Duration.ofSeconds(1)), 0);
      assertEquals(Outcome.INFO, client.invoke(Invocation.write(null, 1)).outcome());
    }
  }
}
