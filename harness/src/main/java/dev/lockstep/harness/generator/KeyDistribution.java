package dev.lockstep.harness.generator;

import java.util.SplittableRandom;

/**
 * How a multi-key workload picks the key of its next op. Keys are small non-negative integers
 * {@code 0 ≤ k < count()} (the guests' keys are u32).
 */
public interface KeyDistribution {

  int draw(SplittableRandom random);

  int count();

  /** Every key equally likely. */
  static KeyDistribution uniform(int count) {
    requirePositive(count);
    return new KeyDistribution() {
      @Override
      public int draw(SplittableRandom random) {
        return random.nextInt(count);
      }

      @Override
      public int count() {
        return count;
      }
    };
  }

  /**
   * Hot keys: key {@code k} is drawn with probability proportional to {@code 1 / (k + 1)} (Zipf with
   * exponent 1), so a few keys see most of the contention, as in Jepsen's independent workloads.
   */
  static KeyDistribution zipf(int count) {
    requirePositive(count);
    double[] cumulative = new double[count];
    double sum = 0;
    for (int k = 0; k < count; k++) {
      sum += 1.0 / (k + 1);
      cumulative[k] = sum;
    }
    double total = sum;
    return new KeyDistribution() {
      @Override
      public int draw(SplittableRandom random) {
        double target = random.nextDouble() * total;
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
          int mid = (lo + hi) >>> 1;
          if (cumulative[mid] < target) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
        return lo;
      }

      @Override
      public int count() {
        return count;
      }
    };
  }

  /** Parses {@code uniform} or {@code zipf}. */
  static KeyDistribution named(String name, int count) {
    return switch (name) {
      case "uniform" -> uniform(count);
      case "zipf" -> zipf(count);
      default -> throw new IllegalArgumentException("unknown key distribution '" + name + "' (uniform, zipf)");
    };
  }

  private static void requirePositive(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("key count must be positive: " + count);
    }
  }
}
