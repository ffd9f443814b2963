package dev.lockstep.ftvm.client;

/** The guest operations (DEVICES.md); the code is the op byte of a request. */
public enum Op {
  READ(1), WRITE(2), CAS(3), APPEND(4), READ_LIST(5);

  private final int code;

  Op(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The op for a code, or null. */
  public static Op ofCode(int code) {
    for (Op o : values()) {
      if (o.code == code) {
        return o;
      }
    }
    return null;
  }
}
