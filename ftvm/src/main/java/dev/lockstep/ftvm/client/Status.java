package dev.lockstep.ftvm.client;

/** The status byte of a guest reply (DEVICES.md). */
public enum Status {
  /** Done; READ and READ_LIST carry their result. */
  OK(0),
  /** CAS whose expected value did not match: it did not happen. */
  FAIL(1),
  /** READ of an absent key (kv). */
  NIL(2),
  /** Not a request this guest serves (bad length, op, or padding): nothing happened. */
  BAD_REQUEST(3),
  /** No room (keys, list elements or clients): it did not happen. */
  FULL(4);

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
