package dev.lockstep.ftvm.client;

/** The status byte of a guest reply (DEVICES.md). */
public enum Status {
  OK(0), FAIL(1), NIL(2), BAD_REQUEST(3), FULL(4);

  private final int code;

  Status(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The status for a code, or null. */
  public static Status ofCode(int code) {
    for (Status s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    return null;
  }
}
