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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kv guest on the machine: its protocol, at-most-once and bounds (DEVICES.md). */
class KvGuestTest {
  static final long BOOT_INSTRUCTIONS_MAX = 20_000_000;
  static final long REQUEST_INSTRUCTIONS_MAX = 1_000_000;
  private static final int KEYS_MAX = 4096;
  private static final int CLIENTS_MAX = 1024;

  private SimHost host;

  @BeforeEach
  void boot() throws ElfException {
    host = SimHost.server(Guests.load("kv"), 0, 1);
    assertEquals(RunStatus.IDLE, host.run(BOOT_INSTRUCTIONS_MAX), "kv goes idle in wfi once booted");
    assertEquals("kv: serving (clients max 1024)\n", host.console());
  }

  private List<byte[]> exchange(byte[]... packets) {
    for (byte[] p : packets) {
      host.inject(p);
    }
    assertEquals(RunStatus.IDLE, host.run(REQUEST_INSTRUCTIONS_MAX * packets.length), "kv idles after answering");
    return host.takeSent();
  }

  private byte[] callRaw(Request r) {
    List<byte[]> sent = exchange(GuestProtocol.encode(r));
    assertEquals(1, sent.size(), "one reply to " + r);
    return sent.get(0);
  }

  private Reply call(Request r) throws MalformedReplyException {
    Reply reply = GuestProtocol.decodeReply(callRaw(r), Server.KV);
    assertTrue(reply.answers(r), reply + " answers " + r);
    assertEquals(r.op().code(), reply.op());
    return reply;
  }

  @Test
  void writeReadAndCas() throws MalformedReplyException {
    assertEquals(Status.NIL, call(Request.read(1, 1, 7)).status());
    assertEquals(Status.OK, call(Request.write(1, 2, 7, 42)).status());
    Reply read = call(Request.read(1, 3, 7));
    assertEquals(Status.OK, read.status());
    assertEquals(42, read.value().getAsInt());
    assertEquals(Status.FAIL, call(Request.cas(1, 4, 7, 41, 50)).status());
    assertEquals(42, call(Request.read(1, 5, 7)).value().getAsInt(), "a failed cas changes nothing");
    assertEquals(Status.OK, call(Request.cas(1, 6, 7, 42, -50)).status());
    assertEquals(-50, call(Request.read(1, 7, 7)).value().getAsInt());
    assertEquals(Status.FAIL, call(Request.cas(1, 8, 8, 0, 1)).status(), "cas of an absent key fails");
    assertEquals(Status.NIL, call(Request.read(1, 9, 8)).status());
    assertEquals(Status.OK, call(Request.write(2, 1, 0xFFFFFFFFL, Integer.MIN_VALUE)).status());
    assertEquals(Integer.MIN_VALUE, call(Request.read(2, 2, 0xFFFFFFFFL)).value().getAsInt());
  }

  @Test
  void outSeqGrowsByOnePerDistinctReply() throws MalformedReplyException {
    long first = call(Request.read(1, 1, 1)).outSeq();
    assertEquals(1, first);
    assertEquals(2, call(Request.write(2, 1, 1, 5)).outSeq());
    assertEquals(3, call(Request.read(1, 2, 1)).outSeq());
  }

  @Test
  void aRetryGetsTheCachedReplyByteForByteAndAnOlderRequestIsDropped() throws MalformedReplyException {
    byte[] original = callRaw(Request.write(5, 10, 3, 1));
    assertEquals(Status.OK, call(Request.write(6, 1, 3, 2)).status());
    byte[] retried = callRaw(Request.write(5, 10, 3, 1));
    assertArrayEquals(original, retried, "same reply, same outSeq");
    assertEquals(2, call(Request.read(6, 2, 3)).value().getAsInt(), "the retried write did not run again");
    assertEquals(List.of(), exchange(GuestProtocol.encode(Request.write(5, 9, 3, 99))), "older reqSeq: no reply");
    assertEquals(2, call(Request.read(6, 3, 3)).value().getAsInt(), "and no effect");
    Reply newer = call(Request.read(5, 11, 3));
    assertEquals(2, newer.value().getAsInt());
    assertEquals(5, newer.outSeq(), "retries and drops took no outSeq");
    assertArrayEquals(callRaw(Request.read(5, 11, 3)), callRaw(Request.read(5, 11, 3)));
  }

  @Test
  void queuedRequestsAreAnsweredInOrder() throws MalformedReplyException {
    byte[][] packets = new byte[20][];
    for (int i = 0; i < packets.length; i++) {
      packets[i] = GuestProtocol.encode(Request.write(100 + i, 1, i, i * 3));
    }
    List<byte[]> sent = exchange(packets);
    assertEquals(packets.length, sent.size());
    for (int i = 0; i < packets.length; i++) {
      Reply r = GuestProtocol.decodeReply(sent.get(i), Server.KV);
      assertEquals(100 + i, r.clientId());
      assertEquals(i + 1, r.outSeq());
    }
    assertEquals(57, call(Request.read(1, 1, 19)).value().getAsInt());
  }

  @Test
  void badRequests() throws MalformedReplyException {
    Reply unknownOp = call(new Request(1, 1, Op.READ_LIST, 1, 0, 0));
    assertEquals(Status.BAD_REQUEST, unknownOp.status());
    byte[] padded = GuestProtocol.encode(Request.write(1, 2, 1, 1));
    padded[10] = 1;
    Reply pad = GuestProtocol.decodeReply(exchange(padded).get(0), Server.KV);
    assertEquals(Status.BAD_REQUEST, pad.status());
    assertEquals(Status.NIL, call(Request.read(1, 3, 1)).status(), "the padded write did nothing");
    byte[] shortPacket = new byte[] {9, 0, 0, 0, 4, 0, 0, 0, 2, 0};
    Reply tooShort = GuestProtocol.decodeReply(exchange(shortPacket).get(0), Server.KV);
    assertEquals(Status.BAD_REQUEST, tooShort.status());
    assertEquals(9, tooShort.clientId());
    assertEquals(4, tooShort.reqSeq());
    assertEquals(2, tooShort.op());
    Reply tooLong = GuestProtocol.decodeReply(exchange(new byte[25]).get(0), Server.KV);
    assertEquals(Status.BAD_REQUEST, tooLong.status());
    assertEquals(Status.OK, call(Request.write(9, 4, 1, 1)).status(), "an unframed packet leaves at-most-once state alone");
  }

  @Test
  void keysAreBoundedAndAFullWriteDoesNotHappen() throws MalformedReplyException {
    for (int k = 0; k < KEYS_MAX; k++) {
      assertEquals(Status.OK, call(Request.write(1, k + 1, k * 7919L, k)).status());
    }
    assertEquals(Status.FULL, call(Request.write(1, KEYS_MAX + 1, 1, 1)).status());
    assertEquals(Status.NIL, call(Request.read(1, KEYS_MAX + 2, 1)).status());
    assertEquals(Status.OK, call(Request.write(1, KEYS_MAX + 3, 7919L * 5, -1)).status(), "existing keys still take writes");
    assertEquals(-1, call(Request.read(1, KEYS_MAX + 4, 7919L * 5)).value().getAsInt());
  }

  @Test
  void clientsAreBoundedAndANewClientBeyondGetsAnUncachedFull() throws MalformedReplyException {
    for (int c = 0; c < CLIENTS_MAX; c++) {
      assertEquals(Status.NIL, call(Request.read(1000 + c, 1, 1)).status());
    }
    Reply full = call(Request.write(5000, 1, 1, 1));
    assertEquals(Status.FULL, full.status());
    Reply again = call(Request.write(5000, 1, 1, 1));
    assertEquals(Status.FULL, again.status());
    assertEquals(full.outSeq() + 1, again.outSeq(), "not cached: a fresh reply");
    assertEquals(Status.NIL, call(Request.read(1000, 2, 1)).status(), "known clients go on");
  }
}
