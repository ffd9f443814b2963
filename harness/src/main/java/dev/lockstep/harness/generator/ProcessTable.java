package dev.lockstep.harness.generator;

import java.util.Arrays;

/**
 * Which process id each worker thread runs as. Thread {@code t} starts as process {@code t}; when an op
 * of its process ends {@code info} the process may still be running that op, so Jepsen retires it and
 * the thread continues as process {@code p + concurrency} — a fresh id no other thread will ever take.
 * Not thread-safe: the runner calls it under its generator lock.
 */
public final class ProcessTable {

  private final int[] processes;

  public ProcessTable(int concurrency) {
    if (concurrency <= 0) {
      throw new IllegalArgumentException("concurrency must be positive: " + concurrency);
    }
    processes = new int[concurrency];
    Arrays.setAll(processes, t -> t);
  }

  public int concurrency() {
    return processes.length;
  }

  public int process(int thread) {
    return processes[thread];
  }

  /** Retires the thread's current process after an {@code info} and returns its new process id. */
  public int retire(int thread) {
    processes[thread] += processes.length;
    return processes[thread];
  }

  /** The thread that runs (or ran) process {@code process}. */
  public int threadOf(int process) {
    return process % processes.length;
  }
}
