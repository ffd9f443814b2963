package dev.lockstep.ftvm.ft;

/** A frame that is truncated, oversized, corrupt (checksum), of an unknown type, bad magic or version, or breaks the protocol's order. */
public final class FrameException extends LogChannelException {
  public FrameException(String message) {
    super(message);
  }
}
