package dev.lockstep.harness.workload;

/**
 * How an invocation ended, in Jepsen's terms: {@code OK} it happened, {@code FAIL} it certainly did not
 * happen, {@code INFO} unknown (a timeout, a lost connection): it may take effect at any later time.
 */
public enum Outcome {
  OK,
  FAIL,
  INFO
}
