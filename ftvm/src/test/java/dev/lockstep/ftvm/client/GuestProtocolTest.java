package dev.lockstep.ftvm.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.client.GuestProtocol.Reply;
import dev.lockstep.ftvm.client.GuestProtocol.Request;
import dev.lockstep.ftvm.client.GuestProtocol.Server;
import dev.lockstep.ftvm.client.Op;
import dev.lockstep.ftvm.client.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestProtocolTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static byte[] reply(long clientId, long reqSeq, long outSeq, int status, int op, int... payloadWords) {
    ByteBuffer b = ByteBuffer.allocate(16 + 4 * payloadWords.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt((int) clientId).putInt((int) reqSeq).putInt((int) outSeq).put((byte) status).put((byte) op).putShort((short) 0);
    for (int w : payloadWords) {
      b.putInt(w);
    }
    return b.array();
  }

  @Test
  void encodesTheRequestLayoutOfDevicesMd() {
    byte[] packet = GuestProtocol.encode(Request.cas(0x01020304L, 0xFFFFFFFEL, 7, -1, 0x11223344));
    assertArrayEquals(hex("04030201 FEFFFFFF 03000000 07000000 FFFFFFFF 44332211"), packet);
    assertEquals(GuestProtocol.REQUEST_BYTES, GuestProtocol.encode(Request.read(1, 1, 1)).length);
    assertEquals(4, GuestProtocol.encode(Request.append(1, 1, 1, 9))[8]);
    assertEquals(5, GuestProtocol.encode(Request.readList(1, 1, 1))[8]);
  }

  @Test
  void rejectsFieldsOutsideU32() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Request.read(1L << 32, 1, 1));
    assertTrue(e.getMessage().startsWith("clientId 4294967296 is outside"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Request.write(1, -1, 1, 0));
  }

  @Test
  void decodesAKvReadWithItsValueAndUnsignedHeader() throws MalformedReplyException {
    Reply r = GuestProtocol.decodeReply(reply(0xFFFFFFFFL, 2, 0x80000000L, 0, 1, -5), Server.KV);
    assertEquals(0xFFFFFFFFL, r.clientId());
    assertEquals(0x80000000L, r.outSeq());
    assertEquals(Status.OK, r.status());
    assertEquals(-5, r.value().getAsInt());
    assertFalse(r.hasList());
    assertTrue(r.answers(Request.read(0xFFFFFFFFL, 2, 9)));
    assertFalse(r.answers(Request.read(0xFFFFFFFFL, 3, 9)));
  }

  @Test
  void decodesNilFailAndFull() throws MalformedReplyException {
    assertEquals(Status.NIL, GuestProtocol.decodeReply(reply(1, 1, 1, 2, 1), Server.KV).status());
    assertEquals(Status.FAIL, GuestProtocol.decodeReply(reply(1, 1, 1, 1, 3), Server.KV).status());
    Reply full = GuestProtocol.decodeReply(reply(1, 1, 1, 4, 2), Server.KV);
    assertEquals(Status.FULL, full.status());
    assertTrue(full.value().isEmpty());
  }

  @Test
  void decodesListsOfTheAppendGuestForReadListAndRead() throws MalformedReplyException {
    Reply r = GuestProtocol.decodeReply(reply(1, 1, 1, 0, 5, 3, 10, -20, 10), Server.APPEND);
    assertTrue(r.hasList());
    assertEquals(List.of(10, -20, 10), r.list());
    Reply empty = GuestProtocol.decodeReply(reply(1, 1, 1, 0, 1, 0), Server.APPEND);
    assertTrue(empty.hasList());
    assertEquals(List.of(), empty.list());
    assertEquals(Op.READ, empty.knownOp().orElseThrow());
  }

  @Test
  void badRequestMayEchoAnyOpByte() throws MalformedReplyException {
    Reply r = GuestProtocol.decodeReply(reply(1, 1, 1, 3, 200), Server.KV);
    assertEquals(Status.BAD_REQUEST, r.status());
    assertEquals(200, r.op());
    assertTrue(r.knownOp().isEmpty());
  }

  @Test
  void rejectsMalformedReplies() {
    assertMalformed(new byte[15], Server.KV, "shorter than the 16-byte header");
    assertMalformed(new byte[8193], Server.APPEND, "longer than the 8192-byte MTU");
    assertMalformed(reply(1, 1, 1, 9, 1, 0), Server.KV, "unknown status 9");
    byte[] padded = reply(1, 1, 1, 0, 2);
    padded[15] = 1;
    assertMalformed(padded, Server.KV, "nonzero padding");
    assertMalformed(reply(1, 1, 1, 0, 1), Server.KV, "an OK READ of kv carries one i32, got 0");
    assertMalformed(reply(1, 1, 1, 0, 2, 7), Server.KV, "carries no payload, got 4");
    assertMalformed(reply(1, 1, 1, 1, 3, 7), Server.KV, "carries no payload");
    assertMalformed(reply(1, 1, 1, 0, 5, 2, 1), Server.APPEND, "a list of 2 elements needs 12 payload bytes, got 8");
    assertMalformed(reply(1, 1, 1, 0, 5), Server.APPEND, "lacks its element count");
    assertMalformed(reply(1, 1, 1, 0, 4, 0), Server.KV, "status OK for op 4 cannot come from the kv guest");
    assertMalformed(reply(1, 1, 1, 2, 5), Server.APPEND, "status NIL for op 5 cannot come from the append guest");
    assertMalformed(reply(1, 1, 1, 1, 2), Server.KV, "status FAIL for op 2");
  }

  private static void assertMalformed(byte[] packet, Server server, String expected) {
    MalformedReplyException e = assertThrows(MalformedReplyException.class, () -> GuestProtocol.decodeReply(packet, server));
    assertTrue(e.getMessage().startsWith("malformed guest reply (" + packet.length + " bytes): "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
