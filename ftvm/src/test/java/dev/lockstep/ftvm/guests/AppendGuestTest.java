package dev.lockstep.ftvm.guests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.client.GuestProtocol;
import dev.lockstep.ftvm.client.GuestProtocol.Reply;
import dev.lockstep.ftvm.client.GuestProtocol.Request;
import dev.lockstep.ftvm.client.GuestProtocol.Server;
import dev.lockstep.ftvm.client.MalformedReplyException;
import dev.lockstep.ftvm.client.Op;
import dev.lockstep.ftvm.client.Status;
import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.RunStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The append guest on the machine: lists in append order, duplicates visible, bounds. */
class AppendGuestTest {
  private static final int LIST_ELEMENTS_MAX = 1024;
  private static final int KEYS_MAX = 1024;

  private SimHost host;

  @BeforeEach
  void boot() throws ElfException {
    host = SimHost.server(Guests.load("append"), 0, 2);
    assertEquals(RunStatus.IDLE, host.run(KvGuestTest.BOOT_INSTRUCTIONS_MAX));
    assertEquals("append: serving (clients max 1024)\n", host.console());
  }

  private byte[] callRaw(Request r) {
    host.inject(GuestProtocol.encode(r));
    assertEquals(RunStatus.IDLE, host.run(KvGuestTest.REQUEST_INSTRUCTIONS_MAX));
    List<byte[]> sent = host.takeSent();
    assertEquals(1, sent.size(), "one reply to " + r);
    return sent.get(0);
  }

  private Reply call(Request r) throws MalformedReplyException {
    Reply reply = GuestProtocol.decodeReply(callRaw(r), Server.APPEND);
    assertTrue(reply.answers(r));
    return reply;
  }

  @Test
  void appendsReadBackInOrderWithDuplicatesVisible() throws MalformedReplyException {
    Reply empty = call(Request.readList(1, 1, 3));
    assertEquals(Status.OK, empty.status());
    assertTrue(empty.hasList());
    assertEquals(List.of(), empty.list());
    assertEquals(Status.OK, call(Request.append(1, 2, 3, 10)).status());
    assertEquals(Status.OK, call(Request.append(2, 1, 3, -20)).status());
    assertEquals(Status.OK, call(Request.append(1, 3, 4, 99)).status());
    assertEquals(Status.OK, call(Request.append(1, 4, 3, 10)).status());
    assertEquals(List.of(10, -20, 10), call(Request.readList(1, 5, 3)).list(), "a second append of 10 shows twice");
    Reply viaRead = call(Request.read(2, 2, 4));
    assertEquals(Op.READ.code(), viaRead.op());
    assertEquals(List.of(99), viaRead.list());
  }

  @Test
  void aRetriedAppendIsNotAppliedTwice() throws MalformedReplyException {
    byte[] first = callRaw(Request.append(7, 1, 1, 5));
    byte[] again = callRaw(Request.append(7, 1, 1, 5));
    assertArrayEquals(first, again);
    assertEquals(List.of(5), call(Request.readList(8, 1, 1)).list());
    host.inject(GuestProtocol.encode(Request.append(7, 0, 1, 6)));
    assertEquals(RunStatus.IDLE, host.run(KvGuestTest.REQUEST_INSTRUCTIONS_MAX));
    assertEquals(List.of(), host.takeSent(), "an older reqSeq is dropped");
    assertEquals(List.of(5), call(Request.readList(8, 2, 1)).list());
  }

  @Test
  void aFullListReadFitsOnePacketAndOneMoreAppendIsFull() throws MalformedReplyException {
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < LIST_ELEMENTS_MAX; i++) {
      assertEquals(Status.OK, call(Request.append(1, i + 1, 42, i * 31 - 500)).status());
      expected.add(i * 31 - 500);
    }
    assertEquals(Status.FULL, call(Request.append(1, LIST_ELEMENTS_MAX + 1, 42, 0)).status());
    byte[] raw = callRaw(Request.readList(1, LIST_ELEMENTS_MAX + 2, 42));
    assertEquals(16 + 4 + 4 * LIST_ELEMENTS_MAX, raw.length);
    assertEquals(expected, GuestProtocol.decodeReply(raw, Server.APPEND).list());
    assertEquals(Status.OK, call(Request.append(1, LIST_ELEMENTS_MAX + 3, 43, 1)).status(), "other keys go on");
  }

  @Test
  void keysAreBounded() throws MalformedReplyException {
    for (int k = 0; k < KEYS_MAX; k++) {
      assertEquals(Status.OK, call(Request.append(1, k + 1, k, k)).status());
    }
    assertEquals(Status.FULL, call(Request.append(1, KEYS_MAX + 1, KEYS_MAX, 0)).status());
    assertEquals(List.of(), call(Request.readList(1, KEYS_MAX + 2, KEYS_MAX)).list());
    assertEquals(Status.OK, call(Request.append(1, KEYS_MAX + 3, 5, 6)).status());
    assertEquals(List.of(5, 6), call(Request.readList(1, KEYS_MAX + 4, 5)).list());
  }

  @Test
  void kvOpsAreBadRequests() throws MalformedReplyException {
    assertEquals(Status.BAD_REQUEST, call(Request.write(1, 1, 1, 1)).status());
    assertEquals(Status.BAD_REQUEST, call(Request.cas(1, 2, 1, 0, 1)).status());
    assertEquals(List.of(), call(Request.readList(1, 3, 1)).list());
  }
}
