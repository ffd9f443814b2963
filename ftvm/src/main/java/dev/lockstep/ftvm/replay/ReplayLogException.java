package dev.lockstep.ftvm.replay;

/** A replay log that cannot be read: truncated, corrupted or of another version; names the byte offset. */
public final class ReplayLogException extends RuntimeException {
  private final long offset;

  public ReplayLogException(String what, long offset) {
    super("replay log " + what + " at byte offset " + offset);
    this.offset = offset;
  }

  public ReplayLogException(String what, long offset, Throwable cause) {
    super("replay log " + what + " at byte offset " + offset, cause);
    this.offset = offset;
  }

  /** Where in the file the problem is. */
  public long offset() {
    return offset;
  }
}
