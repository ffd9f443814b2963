package dev.lockstep.ftvm.node.primary;

/**
 * Slows the primary when the backup's executed icount lags too far behind (paper §3.2's feedback
 * loop). The bound is in guest time: {@code lagMsMax} of execution at the primary's measured speed.
 * Pure: the caller feeds it the speed of each executed slice and sleeps for what it answers.
 */
public final class FlowControl {

  /** Default bound on the backup's lag, in milliseconds of guest execution. */
  public static final long LAG_MS_MAX_DEFAULT = 100;
  /** Longest single pause the primary takes before it looks again. */
  public static final long PAUSE_US_MAX = 2_000;
  /** Speed assumed before the first measurement, instructions per second. */
  static final double IPS_INITIAL = 50_000_000;
  /** Weight of a new speed sample in the moving average. */
  static final double IPS_SMOOTHING = 0.1;
  /** Slices shorter than this say too little about the speed. */
  static final long SAMPLE_NANOS_MIN = 200_000;

  private final long lagMsMax;
  private double ips = IPS_INITIAL;

  public FlowControl(long lagMsMax) {
    if (lagMsMax <= 0) {
      throw new IllegalArgumentException("lagMsMax must be positive: " + lagMsMax);
    }
    this.lagMsMax = lagMsMax;
  }

  /** One executed slice: {@code instructions} retired in {@code nanos} of host time. */
  public void sample(long instructions, long nanos) {
    if (nanos < SAMPLE_NANOS_MIN || instructions <= 0) {
      return;
    }
    double s = instructions * 1e9 / nanos;
    ips = ips + IPS_SMOOTHING * (s - ips);
  }

  public double instructionsPerSecond() {
    return ips;
  }

  /** The lag bound in instructions. */
  public long lagInstructionsMax() {
    return (long) (ips * lagMsMax / 1000.0);
  }

  /** The lag expressed in milliseconds of guest execution. */
  public double lagMs(long primaryIcount, long backupIcount) {
    return Math.max(0, primaryIcount - backupIcount) * 1000.0 / ips;
  }

  /** How long the primary should pause now; 0 when the backup is within the bound. */
  public long pauseMicros(long primaryIcount, long backupIcount) {
    long over = (primaryIcount - backupIcount) - lagInstructionsMax();
    if (over <= 0) {
      return 0;
    }
    long us = (long) (over * 1e6 / ips);
    return Math.max(1, Math.min(PAUSE_US_MAX, us));
  }
}
