package dev.lockstep.ftvm.ft;

/** A frame whose epoch differs from this side's epoch: one of the two sides belongs to a finished epoch. */
public final class StaleEpochException extends LogChannelException {
  private final long frameEpoch;
  private final long localEpoch;

  public StaleEpochException(long frameEpoch, long localEpoch) {
    super("frame of epoch " + frameEpoch + " on a channel of epoch " + localEpoch);
    this.frameEpoch = frameEpoch;
    this.localEpoch = localEpoch;
  }

  public long frameEpoch() {
    return frameEpoch;
  }

  public long localEpoch() {
    return localEpoch;
  }
}
