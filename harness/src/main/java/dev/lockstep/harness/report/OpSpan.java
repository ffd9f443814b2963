package dev.lockstep.harness.report;

/**
 * One client operation as the reports draw it: from its invocation to its completion.
 *
 * @param process the process id
 * @param f the op's function
 * @param type how it ended: {@code ok}, {@code fail}, {@code info}, or {@code pending} if it never did
 * @param startNanos invocation time since the test began
 * @param endNanos completion time, or -1 when pending
 * @param value a short rendering of the completed (or invoked) value
 */
public record OpSpan(int process, String f, String type, long startNanos, long endNanos, String value) {

  public boolean pending() {
    return endNanos < 0;
  }

  public long latencyNanos() {
    return pending() ? -1 : endNanos - startNanos;
  }
}
