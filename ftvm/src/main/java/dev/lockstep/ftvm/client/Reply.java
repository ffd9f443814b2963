package dev.lockstep.ftvm.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A guest's reply (DEVICES.md) as received: who it is for, the guest's outSeq, the status, the echoed op
 * and the body bytes after the 16-byte header. {@code raw} is the whole packet, to compare replies byte for byte.
 */
public record Reply(int clientId, int reqSeq, int outSeq, Status status, int opCode, byte[] body, byte[] raw) {
  public Reply {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(raw, "raw");
  }

  /**
   * Decodes a reply packet's header; the body stays bytes, so this reads the reply of any guest.
   * {@link GuestProtocol#decodeReply} checks a kv or append guest's reply in full.
   *
   * @throws IllegalArgumentException naming what is wrong when the bytes are no reply
   */
  public static Reply decode(byte[] packet) {
    if (packet.length < GuestProtocol.REPLY_HEADER_BYTES) {
      throw new IllegalArgumentException("reply of " + packet.length + " bytes is shorter than its header");
    }
    ByteBuffer b = ByteBuffer.wrap(packet).order(ByteOrder.LITTLE_ENDIAN);
    int clientId = b.getInt();
    int reqSeq = b.getInt();
    int outSeq = b.getInt();
    int statusCode = Byte.toUnsignedInt(b.get());
    int op = Byte.toUnsignedInt(b.get());
    Status status = Status.ofCode(statusCode);
    if (status == null) {
      throw new IllegalArgumentException("reply with unknown status " + statusCode);
    }
    return new Reply(clientId, reqSeq, outSeq, status, op,
        Arrays.copyOfRange(packet, GuestProtocol.REPLY_HEADER_BYTES, packet.length), packet.clone());
  }

  /** The value of an ok READ (null when the reply carries none). */
  public Integer value() {
    return body.length >= 4 ? ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).getInt(0) : null;
  }

  /** The elements of an ok READ_LIST (an empty array when the reply carries none). */
  public int[] list() {
    if (body.length < 4) {
      return new int[0];
    }
    ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    int n = b.getInt();
    if (n < 0 || n > b.remaining() / 4) {
      return new int[0];
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = b.getInt();
    }
    return out;
  }

  @Override
  public String toString() {
    return "Reply[client=" + Integer.toUnsignedString(clientId) + ", reqSeq=" + Integer.toUnsignedString(reqSeq)
        + ", outSeq=" + Integer.toUnsignedString(outSeq) + ", status=" + status + ", op=" + opCode
        + ", body=" + Arrays.toString(body) + "]";
  }
}
