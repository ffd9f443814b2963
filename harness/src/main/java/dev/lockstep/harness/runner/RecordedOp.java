package dev.lockstep.harness.runner;

/**
 * One line of the history as the runner records it, in Jepsen's op shape.
 *
 * @param type {@code invoke}, {@code ok}, {@code fail} or {@code info}
 * @param f the function
 * @param value the value (null, an integer, or a list)
 * @param process the process id, or -1 for the nemesis
 * @param time nanoseconds since the test began, monotonic in {@code index}
 * @param index position in the history, from 0
 * @param error why an op failed or ended info, or null
 * @param key the key of a multi-key workload, or null
 */
public record RecordedOp(String type, String f, Object value, int process, long time, long index, String error, Integer key) {

  public static final int NEMESIS = -1;

  public boolean nemesis() {
    return process == NEMESIS;
  }
}
