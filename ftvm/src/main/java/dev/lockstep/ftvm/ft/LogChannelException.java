package dev.lockstep.ftvm.ft;

/**
 * Something a peer sent on the logging channel cannot be trusted; the connection it came on is closed
 * with this exception's message as the logged reason and nothing from it is applied. Unchecked because
 * it travels through Netty's pipeline.
 */
public abstract class LogChannelException extends RuntimeException {
  protected LogChannelException(String message) {
    super(message, null, false, false);
  }
}
