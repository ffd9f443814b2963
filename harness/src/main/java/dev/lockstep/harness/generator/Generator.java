package dev.lockstep.harness.generator;

import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A source of operations. Contract: {@link #next} is a pure function of its context and of the draws it
 * makes from {@code random} — the same context and the same random state give the same answer — so a
 * recorded seed reproduces the sequence of choices. Empty means the generator is exhausted for good
 * (for instance, past its time limit); the runner stops the asking thread.
 */
@FunctionalInterface
public interface Generator {

  Optional<Scheduled> next(Context context, SplittableRandom random);

  /** This generator, exhausted once the test's clock reaches {@code limitNanos}. */
  default Generator timeLimit(long limitNanos) {
    return Generators.timeLimit(this, limitNanos);
  }

  /** This generator, spread so that on average at most {@code opsPerSecond} ops start per second. */
  default Generator rate(double opsPerSecond) {
    return Generators.rate(this, opsPerSecond);
  }
}
