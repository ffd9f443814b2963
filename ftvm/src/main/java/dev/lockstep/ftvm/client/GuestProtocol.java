package dev.lockstep.ftvm.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The packet protocol of the kv and append guests, exactly as {@code ftvm/DEVICES.md} fixes it: one
 * 24-byte request per packet, one reply of a 16-byte header plus payload, little-endian. The u32 fields
 * (clientId, reqSeq, outSeq, key) are carried as {@code long} in 0 … 2^32-1.
 *
 * <p>Decoding checks everything the guests promise (length, status, zero padding, the payload each
 * status and op allow), so a broken guest or a corrupted packet fails with a
 * {@link MalformedReplyException} saying what is wrong, never with a half-decoded reply.
 */
public final class GuestProtocol {
  public static final int REQUEST_BYTES = 24;
  public static final int REPLY_HEADER_BYTES = 16;
  /** Largest packet either way; a READ_LIST reply of the append guest always fits. */
  public static final int MTU_BYTES = 8192;
  public static final long U32_MAX = 0xFFFF_FFFFL;

  private GuestProtocol() {
  }

  /** The guest that answers, which fixes what a READ returns: a value (kv) or a list (append). */
  public enum Server {
    KV(List.of(Op.READ, Op.WRITE, Op.CAS)),
    APPEND(List.of(Op.READ, Op.APPEND, Op.READ_LIST));

    private final List<Op> ops;

    Server(List<Op> ops) {
      this.ops = ops;
    }

    /** The ops this guest executes; it answers any other with BAD_REQUEST. */
    public List<Op> ops() {
      return ops;
    }
  }

  /** One request; unused arguments are zero. */
  public record Request(long clientId, long reqSeq, Op op, long key, int arg1, int arg2) {
    public Request {
      checkU32("clientId", clientId);
      checkU32("reqSeq", reqSeq);
      checkU32("key", key);
      Objects.requireNonNull(op, "op");
    }

    public static Request read(long clientId, long reqSeq, long key) {
      return new Request(clientId, reqSeq, Op.READ, key, 0, 0);
    }

    public static Request write(long clientId, long reqSeq, long key, int value) {
      return new Request(clientId, reqSeq, Op.WRITE, key, value, 0);
    }

    public static Request cas(long clientId, long reqSeq, long key, int expected, int newValue) {
      return new Request(clientId, reqSeq, Op.CAS, key, expected, newValue);
    }

    public static Request append(long clientId, long reqSeq, long key, int element) {
      return new Request(clientId, reqSeq, Op.APPEND, key, element, 0);
    }

    public static Request readList(long clientId, long reqSeq, long key) {
      return new Request(clientId, reqSeq, Op.READ_LIST, key, 0, 0);
    }
  }

  /**
   * One decoded reply. {@code op} is the echoed wire byte (a BAD_REQUEST may echo any byte).
   * {@code value} is present only for an OK READ of the kv guest; {@code list} is non-empty only for
   * an OK READ or READ_LIST of the append guest ({@code hasList} tells an empty list from none).
   */
  public record Reply(long clientId, long reqSeq, long outSeq, Status status, int op, OptionalInt value,
      boolean hasList, List<Integer> list) {
    public Reply {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(value, "value");
      list = List.copyOf(list);
    }

    /** True when this reply is for {@code request} (same client and request sequence number). */
    public boolean answers(Request request) {
      return clientId == request.clientId() && reqSeq == request.reqSeq();
    }

    /** The echoed op, empty when the byte names none. */
    public Optional<Op> knownOp() {
      return Optional.ofNullable(Op.ofCode(op));
    }
  }

  /** The 24-byte packet of {@code request}. */
  public static byte[] encode(Request request) {
    return encode((int) request.clientId(), (int) request.reqSeq(), request.op(), (int) request.key(), request.arg1(),
        request.arg2());
  }

  /** The 24-byte packet of a request; the u32 fields are taken as their 32 bits. */
  static byte[] encode(int clientId, int reqSeq, Op op, int key, int arg1, int arg2) {
    return ByteBuffer.allocate(REQUEST_BYTES).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(clientId).putInt(reqSeq).put((byte) op.code()).put(new byte[3])
        .putInt(key).putInt(arg1).putInt(arg2).array();
  }

  /**
   * Decodes a reply packet of {@code server}.
   *
   * @throws MalformedReplyException when the packet is not a reply that guest can send
   */
  public static Reply decodeReply(byte[] packet, Server server) throws MalformedReplyException {
    if (packet.length < REPLY_HEADER_BYTES) {
      throw malformed(packet, "shorter than the " + REPLY_HEADER_BYTES + "-byte header");
    }
    if (packet.length > MTU_BYTES) {
      throw malformed(packet, "longer than the " + MTU_BYTES + "-byte MTU");
    }
    ByteBuffer b = ByteBuffer.wrap(packet).order(ByteOrder.LITTLE_ENDIAN);
    int statusCode = packet[12] & 0xFF;
    Status status = Status.ofCode(statusCode);
    if (status == null) {
      throw malformed(packet, "unknown status " + statusCode);
    }
    if (packet[14] != 0 || packet[15] != 0) {
      throw malformed(packet, "nonzero padding at bytes 14-15");
    }
    int op = packet[13] & 0xFF;
    checkStatusFitsOp(packet, server, status, op);
    long clientId = b.getInt(0) & U32_MAX;
    long reqSeq = b.getInt(4) & U32_MAX;
    long outSeq = b.getInt(8) & U32_MAX;
    int payload = packet.length - REPLY_HEADER_BYTES;
    if (status == Status.OK && isRead(op)) {
      if (server == Server.KV) {
        expectPayload(packet, payload, Integer.BYTES, "an OK READ of kv carries one i32");
        return new Reply(clientId, reqSeq, outSeq, status, op, OptionalInt.of(b.getInt(16)), false, List.of());
      }
      return new Reply(clientId, reqSeq, outSeq, status, op, OptionalInt.empty(), true, decodeList(packet, b));
    }
    expectPayload(packet, payload, 0, "a " + status + " reply to op " + op + " carries no payload");
    return new Reply(clientId, reqSeq, outSeq, status, op, OptionalInt.empty(), false, List.of());
  }

  private static boolean isRead(int op) {
    return op == Op.READ.code() || op == Op.READ_LIST.code();
  }

  private static void checkStatusFitsOp(byte[] packet, Server server, Status status, int op)
      throws MalformedReplyException {
    Op known = Op.ofCode(op);
    boolean served = known != null && server.ops().contains(known);
    boolean fits = switch (status) {
      case OK -> served;
      case FAIL -> op == Op.CAS.code() && served;
      case NIL -> op == Op.READ.code() && server == Server.KV;
      case BAD_REQUEST, FULL -> true;
    };
    if (!fits) {
      throw malformed(packet, "status " + status + " for op " + op + " cannot come from the "
          + server.name().toLowerCase(java.util.Locale.ROOT) + " guest");
    }
  }

  private static List<Integer> decodeList(byte[] packet, ByteBuffer b) throws MalformedReplyException {
    int payload = packet.length - REPLY_HEADER_BYTES;
    if (payload < Integer.BYTES) {
      throw malformed(packet, "a list reply lacks its element count");
    }
    long n = b.getInt(REPLY_HEADER_BYTES) & U32_MAX;
    long expected = Integer.BYTES + n * Integer.BYTES;
    if (payload != expected) {
      throw malformed(packet, "a list of " + n + " elements needs " + expected + " payload bytes, got " + payload);
    }
    List<Integer> list = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) {
      list.add(b.getInt(REPLY_HEADER_BYTES + Integer.BYTES * (i + 1)));
    }
    return list;
  }

  private static void expectPayload(byte[] packet, int actual, int expected, String rule)
      throws MalformedReplyException {
    if (actual != expected) {
      throw malformed(packet, rule + ", got " + actual + " payload bytes");
    }
  }

  private static MalformedReplyException malformed(byte[] packet, String why) {
    return new MalformedReplyException("malformed guest reply (" + packet.length + " bytes): " + why);
  }

  private static void checkU32(String name, long v) {
    if (v < 0 || v > U32_MAX) {
      throw new IllegalArgumentException(name + " " + v + " is outside the u32 range 0.." + U32_MAX);
    }
  }
}
