package dev.lockstep.nemesis;

/** Derives independent child seeds from a parent seed, so every component draws its own stream. */
public final class Seeds {
  private Seeds() {}

  /** A child seed for {@code (seed, path...)}; distinct paths give unrelated streams. */
  public static long derive(long seed, long... path) {
    long h = mix64(seed);
    for (long p : path) {
      h = mix64(h ^ mix64(p + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  // Stafford's variant 13 finaliser, as SplittableRandom uses: adjacent inputs give unrelated outputs.
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
