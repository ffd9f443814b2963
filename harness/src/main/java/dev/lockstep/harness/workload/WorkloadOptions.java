package dev.lockstep.harness.workload;

/**
 * Knobs of the bundled workloads.
 *
 * @param keyCount keys of the {@code kv} and {@code append} workloads
 * @param keyDistribution {@code uniform} or {@code zipf}
 * @param valueBound writes and cas draw values in {@code [0, valueBound)}; small, so cas sometimes succeeds
 * @param readWeight relative weight of reads in the op mix
 * @param writeWeight relative weight of writes (appends for the append workload)
 * @param casWeight relative weight of cas (cas-register and kv only)
 */
public record WorkloadOptions(
    int keyCount, String keyDistribution, int valueBound, int readWeight, int writeWeight, int casWeight) {

  public static final WorkloadOptions DEFAULTS = new WorkloadOptions(8, "zipf", 5, 2, 2, 1);

  public WorkloadOptions {
    if (keyCount <= 0 || valueBound <= 0) {
      throw new IllegalArgumentException("keyCount and valueBound must be positive");
    }
    if (readWeight < 0 || writeWeight < 0 || casWeight < 0 || readWeight + writeWeight + casWeight == 0) {
      throw new IllegalArgumentException("op mix weights must be non-negative and not all zero");
    }
  }

  /** The same options with cas taken out of the mix (the plain register). */
  public WorkloadOptions withoutCas() {
    return new WorkloadOptions(keyCount, keyDistribution, valueBound, readWeight, Math.max(1, writeWeight), 0);
  }
}
