package dev.lockstep.ftvm.machine;

/** The 64-bit mixing used by the state hash (a SplitMix64 finaliser). */
final class Hashing {
  private Hashing() {}

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }

  /** Folds {@code v} into the running hash {@code h}. */
  static long add(long h, long v) {
    return mix(h ^ (v + 0x9E37_79B9_7F4A_7C15L + (h << 6) + (h >>> 2)));
  }
}
