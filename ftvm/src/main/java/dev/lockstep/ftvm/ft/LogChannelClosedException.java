package dev.lockstep.ftvm.ft;

/** The logging channel ended, or never came up, for the given reason. */
public final class LogChannelClosedException extends LogChannelException {
  public LogChannelClosedException(String reason) {
    super(reason);
  }
}
