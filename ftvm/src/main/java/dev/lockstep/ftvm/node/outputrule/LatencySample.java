package dev.lockstep.ftvm.node.outputrule;

import java.util.Arrays;

/**
 * The latencies (µs) recorded since the last {@link #drain}, bounded: past
 * {@link #SAMPLES_MAX} values it keeps every second one, so percentiles stay representative.
 * Thread-safe.
 */
public final class LatencySample {

  /** Latencies kept between two drains. */
  static final int SAMPLES_MAX = 1 << 16;

  /** Count and percentiles of one interval; -1 when nothing was recorded. */
  public record Summary(long count, long p50, long p99) {}

  private long[] values = new long[SAMPLES_MAX];
  private int n;
  private int stride = 1;
  private long seen;

  public synchronized void record(long micros) {
    seen++;
    if (seen % stride != 0) {
      return;
    }
    if (n == values.length) {
      // halve the sample: keep every second value and from now on every second new one
      for (int i = 0; i < n / 2; i++) {
        values[i] = values[2 * i];
      }
      n /= 2;
      stride *= 2;
    }
    values[n++] = micros;
  }

  public synchronized Summary drain() {
    long count = seen;
    if (n == 0) {
      seen = 0;
      return new Summary(count, -1, -1);
    }
    long[] v = Arrays.copyOf(values, n);
    Arrays.sort(v);
    Summary s = new Summary(count, v[(int) ((n - 1) * 0.50)], v[(int) ((n - 1) * 0.99)]);
    n = 0;
    seen = 0;
    stride = 1;
    return s;
  }
}
