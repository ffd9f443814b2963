package dev.lockstep.ftvm.client;

import java.io.IOException;

/** A packet from a guest that is not a well-formed reply of {@link GuestProtocol}; the message says why. */
public final class MalformedReplyException extends IOException {
  private static final long serialVersionUID = 1L;

  public MalformedReplyException(String message) {
    super(message);
  }
}
