package dev.lockstep.ftvm.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Request and reply packets in the layout of DEVICES.md (little-endian). */
final class Packets {
  static final int REQUEST_BYTES = 24;
  static final int REPLY_HEADER_BYTES = 16;
  /** The NIC's largest packet. */
  static final int PACKET_BYTES_MAX = 8192;

  private Packets() {}

  static byte[] request(int clientId, int reqSeq, Request r) {
    return ByteBuffer.allocate(REQUEST_BYTES).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(clientId).putInt(reqSeq).put((byte) r.op().code()).put(new byte[3])
        .putInt(r.key()).putInt(r.arg1()).putInt(r.arg2()).array();
  }

  /**
   * Decodes a reply packet.
   *
   * @throws IllegalArgumentException naming what is wrong when the bytes are no reply
   */
  static Reply reply(byte[] packet) {
    if (packet.length < REPLY_HEADER_BYTES) {
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
        Arrays.copyOfRange(packet, REPLY_HEADER_BYTES, packet.length), packet.clone());
  }
}
