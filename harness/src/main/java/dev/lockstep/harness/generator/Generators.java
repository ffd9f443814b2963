package dev.lockstep.harness.generator;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** Combinators and the basic op generators the workloads are built from. */
public final class Generators {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Generators() {}

  /** A weighted choice between generators. */
  public record Weighted(Generator generator, int weight) {
    public Weighted {
      if (weight <= 0) {
        throw new IllegalArgumentException("weight must be positive: " + weight);
      }
    }
  }

  public static Weighted weighted(int weight, Generator generator) {
    return new Weighted(generator, weight);
  }

  /** Picks one of {@code choices} at random in proportion to its weight, then asks it. */
  public static Generator mix(List<Weighted> choices) {
    if (choices.isEmpty()) {
      throw new IllegalArgumentException("mix of nothing");
    }
    List<Weighted> copy = List.copyOf(choices);
    int total = copy.stream().mapToInt(Weighted::weight).sum();
    return (context, random) -> {
      int draw = random.nextInt(total);
      for (Weighted choice : copy) {
        draw -= choice.weight();
        if (draw < 0) {
          return choice.generator().next(context, random);
        }
      }
      throw new AssertionError("weights changed under the mix");
    };
  }

  /** Exhausted once the clock reaches {@code limitNanos}, and never schedules an op at or past it. */
  public static Generator timeLimit(Generator inner, long limitNanos) {
    return (context, random) -> {
      if (context.nowNanos() >= limitNanos) {
        return Optional.empty();
      }
      return inner.next(context, random).filter(s -> s.notBeforeNanos() < limitNanos);
    };
  }

  /**
   * Spreads ops so the {@code issued}-th one starts near {@code issued / opsPerSecond} seconds, with a
   * uniform jitter of ± half a period so processes do not march in step (Jepsen's stagger).
   */
  public static Generator rate(Generator inner, double opsPerSecond) {
    if (!(opsPerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive: " + opsPerSecond);
    }
    long periodNanos = Math.max(1, (long) (NANOS_PER_SECOND / opsPerSecond));
    return (context, random) -> {
      long slot = context.issued() * periodNanos;
      long jitter = random.nextLong(periodNanos) - periodNanos / 2;
      long at = Math.max(0, slot + jitter);
      return inner.next(context, random).map(s -> s.notBefore(at));
    };
  }

  /** Reads of a key drawn from {@code keys}, or of the single register when {@code keys} is null. */
  public static Generator reads(KeyDistribution keys) {
    return (context, random) -> Optional.of(Scheduled.now(Invocation.read(draw(keys, random))));
  }

  /** Writes of a value uniform in {@code [0, valueBound)}. */
  public static Generator writes(KeyDistribution keys, int valueBound) {
    return (context, random) -> {
      Integer key = draw(keys, random);
      return Optional.of(Scheduled.now(Invocation.write(key, random.nextInt(valueBound))));
    };
  }

  /** Compare-and-sets {@code [expected, new]}, both uniform in {@code [0, valueBound)}. */
  public static Generator cas(KeyDistribution keys, int valueBound) {
    return (context, random) -> {
      Integer key = draw(keys, random);
      int expected = random.nextInt(valueBound);
      int replacement = random.nextInt(valueBound);
      return Optional.of(Scheduled.now(Invocation.cas(key, expected, replacement)));
    };
  }

  /**
   * Appends of elements unique across the whole test: the element is {@code issued + 1}, which no
   * other op of this generator shares, so a duplicated or lost append is visible in a later read.
   */
  public static Generator appends(KeyDistribution keys) {
    return (context, random) -> {
      Integer key = draw(keys, random);
      long element = context.issued() + 1;
      if (element > Integer.MAX_VALUE) {
        throw new IllegalStateException("append elements exhausted the guest's i32 range");
      }
      return Optional.of(Scheduled.now(Invocation.append(key, (int) element)));
    };
  }

  private static Integer draw(KeyDistribution keys, SplittableRandom random) {
    return keys == null ? null : keys.draw(random);
  }
}
