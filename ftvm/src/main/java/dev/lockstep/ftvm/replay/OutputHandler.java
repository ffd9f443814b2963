package dev.lockstep.ftvm.replay;

/** Receives the guest's outputs (console bytes, transmitted packets, disk starts) as they happen. */
public interface OutputHandler {
  void onOutput(Event output);

  /** Discards every output. */
  OutputHandler NONE = e -> {};
}
