package dev.lockstep.ftvm.ft;

/** The kinds of frame on the logging channel; the code is the byte on the wire. */
public enum FrameType {
  /** Backup to primary: cluster, node id and a fresh nonce. */
  HELLO(1),
  /** Primary to backup: its node id, its nonce and an HMAC proving it knows the secret. */
  CHALLENGE(2),
  /** Backup to primary: an HMAC over the primary's nonce proving the backup knows the secret. */
  RESPONSE(3),
  /** Primary to backup: consecutive log entries. */
  LOG_BATCH(4),
  /** Backup to primary: highest entry stored and executed icount. */
  ACK(5),
  /** Primary to backup: no entry below this icount is still to come. */
  PROGRESS(6),
  /** Either way: liveness only. */
  HEARTBEAT(7),
  /** Primary to backup: one piece of a snapshot. */
  SNAPSHOT_CHUNK(8),
  /** Either way: a channel-level control message (a close with its reason). */
  CONTROL(9);

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  /** The byte that names this type on the wire. */
  public int code() {
    return code;
  }

  /** The type for a wire code, or {@code null} when the code names none. */
  public static FrameType ofCode(int code) {
    for (FrameType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
