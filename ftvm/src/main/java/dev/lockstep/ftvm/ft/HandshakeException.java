package dev.lockstep.ftvm.ft;

/** A peer that did not prove it knows the cluster secret, belongs to another cluster, or spoke before authenticating. */
public final class HandshakeException extends LogChannelException {
  public HandshakeException(String message) {
    super(message);
  }
}
