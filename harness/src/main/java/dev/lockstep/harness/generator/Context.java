package dev.lockstep.harness.generator;

/**
 * What a generator may look at when it picks the next operation: the time since the test began (from
 * the runner's clock), the worker thread asking, the process id that thread currently runs as, and how
 * many operations the generator has handed out so far across all threads.
 *
 * @param nowNanos nanoseconds since the test began
 * @param thread worker thread index, {@code 0 ≤ thread < concurrency}
 * @param process the process id the thread currently runs as (changes after an {@code info})
 * @param issued operations already handed out by this generator, across all threads
 */
public record Context(long nowNanos, int thread, int process, long issued) {

  public Context {
    if (nowNanos < 0 || thread < 0 || process < 0 || issued < 0) {
      throw new IllegalArgumentException("negative context field: " + nowNanos + "/" + thread + "/" + process + "/" + issued);
    }
  }
}
