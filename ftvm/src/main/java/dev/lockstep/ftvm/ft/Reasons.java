package dev.lockstep.ftvm.ft;

import io.netty.handler.codec.DecoderException;

/** Turns a pipeline exception into the one-line reason that is logged and handed to a listener. */
final class Reasons {
  private Reasons() {}

  static String of(Throwable cause) {
    Throwable t = cause;
    while (t instanceof DecoderException && t.getCause() != null) {
      t = t.getCause();
    }
    String kind = t instanceof LogChannelException ? t.getClass().getSimpleName() : "I/O error";
    return kind + ": " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
  }
}
