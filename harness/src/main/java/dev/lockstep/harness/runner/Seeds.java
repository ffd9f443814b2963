package dev.lockstep.harness.runner;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Child seeds of a run's seed, one per named component. Derived by name rather than by draw order, so
 * adding a component never shifts the seeds of the others and a recorded seed keeps reproducing the
 * same generator and schedule choices.
 */
public final class Seeds {

  private final long root;

  public Seeds(long root) {
    this.root = root;
  }

  public long root() {
    return root;
  }

  public long child(String component) {
    long h = root;
    for (byte b : component.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h ^ b);
    }
    return mix(h);
  }

  public SplittableRandom random(String component) {
    return new SplittableRandom(child(component));
  }

  // The finaliser of SplitMix64: a bijection that scatters nearby inputs.
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
