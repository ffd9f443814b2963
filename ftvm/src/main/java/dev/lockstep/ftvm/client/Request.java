package dev.lockstep.ftvm.client;

import java.util.Objects;

/** One client operation before it gets its clientId and reqSeq: op, key and up to two arguments. */
public record Request(Op op, int key, int arg1, int arg2) {
  public Request {
    Objects.requireNonNull(op, "op");
  }

  public static Request read(int key) {
    return new Request(Op.READ, key, 0, 0);
  }

  public static Request write(int key, int value) {
    return new Request(Op.WRITE, key, value, 0);
  }

  public static Request cas(int key, int expected, int newValue) {
    return new Request(Op.CAS, key, expected, newValue);
  }

  public static Request append(int key, int element) {
    return new Request(Op.APPEND, key, element, 0);
  }

  public static Request readList(int key) {
    return new Request(Op.READ_LIST, key, 0, 0);
  }

  /** The packet (DEVICES.md) of this request as client {@code clientId}'s {@code reqSeq}-th. */
  public byte[] packet(int clientId, int reqSeq) {
    return GuestProtocol.encode(clientId, reqSeq, op, key, arg1, arg2);
  }
}
