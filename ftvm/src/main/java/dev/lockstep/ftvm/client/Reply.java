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
