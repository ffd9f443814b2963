package dev.lockstep.ftvm.ft;

import java.net.InetSocketAddress;

/** A node could not listen on one of its ports (most often: another process holds it). */
public final class ListenFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param what the port's role, as the user knows it ("the client port (--client-port)")
   * @param cause the bind failure; its message is the operating system's reason
   */
  public ListenFailedException(String what, InetSocketAddress address, Throwable cause) {
    super("cannot listen on " + address.getHostString() + ":" + address.getPort() + " for " + what + ": "
        + cause.getMessage(), cause);
  }
}
