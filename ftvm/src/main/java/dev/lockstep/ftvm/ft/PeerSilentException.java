package dev.lockstep.ftvm.ft;

import java.time.Duration;

/** Nothing arrived from the peer for longer than the failure timeout: it is presumed failed. */
public final class PeerSilentException extends LogChannelException {
  public PeerSilentException(Duration timeout) {
    super("peer silent for more than " + timeout.toMillis() + " ms");
  }
}
