package dev.lockstep.nemesis.schedule;

import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The real runs' schedule: several faults at once. Each of {@code lanes} lanes is its own seeded
 * sequence of (quiet, fault), as {@link Schedule} draws one; the lanes are merged, so a partition can
 * hold while a node is paused, or ZooKeeper be cut for one node while the peer link is cut. Two faults
 * of one family never overlap (a {@code stop-F} heals every fault of family F), so a lane draws among
 * the families not active in the interval it fills, and skips the interval when none is free. A pure
 * function of (spec, lanes); {@code mix} draws from every fault family.
 */
public final class OverlapSchedule {
  /** Lanes a real run with several families uses: up to this many faults at a time. */
  public static final int LANES_DEFAULT = 2;
  public static final int LANES_MAX = 4;

  private static final long LANE_STREAM = 0x0FE7L;

  private OverlapSchedule() {}

  /** One placed fault. */
  private record Interval(Family family, long start, long stop) {
    boolean overlaps(long from, long to) {
      return start < to && from < stop;
    }
  }

  /** The lanes a run of {@code families} uses: one per family, at most {@link #LANES_DEFAULT}. */
  public static int lanesFor(List<Family> families) {
    return Math.min(LANES_DEFAULT, pool(families).size());
  }

  /** The overlapping schedule of {@code spec} with {@link #lanesFor} lanes. */
  public static Schedule generate(ScheduleSpec spec) {
    return generate(spec, lanesFor(spec.families()));
  }

  /**
   * @throws IllegalArgumentException if {@code lanes} is not in 1..{@link #LANES_MAX}
   */
  public static Schedule generate(ScheduleSpec spec, int lanes) {
    List<Family> pool = pool(spec.families());
    if (pool.isEmpty()) {
      return new Schedule(spec, List.of());
    }
    if (lanes < 1 || lanes > LANES_MAX) {
      throw new IllegalArgumentException("overlap lanes must be 1.." + LANES_MAX + ", got " + lanes);
    }
    long limit = spec.timeLimit().toNanos();
    List<Interval> placed = new ArrayList<>();
    List<Schedule.Step> steps = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      SplittableRandom random = new SplittableRandom(Seeds.derive(spec.seed(), LANE_STREAM + lane));
      long t = draw(random, spec.quietMin().toNanos(), spec.quietMax().toNanos());
      while (t + spec.faultMin().toNanos() <= limit) {
        long duration = Math.min(draw(random, spec.faultMin().toNanos(), spec.faultMax().toNanos()), limit - t);
        Family family = pick(pool, placed, t, t + duration, random);
        if (family != null) {
          long wanted = Math.max(duration, family.durationMsMin() * 1_000_000L);
          duration = Math.min(wanted, limit - t);
          Map<String, Object> value = family.drawValue(random);
          placed.add(new Interval(family, t, t + duration));
          steps.add(new Schedule.Step(t, new NemesisOp(family.startF(), value)));
          steps.add(new Schedule.Step(t + duration, new NemesisOp(family.stopF(), value)));
        }
        t += duration + draw(random, spec.quietMin().toNanos(), spec.quietMax().toNanos());
      }
    }
    // Stops before starts at one instant, so a fault of a family ends before the next one begins.
    steps.sort(Comparator.comparingLong(Schedule.Step::atNanos).thenComparing(s -> s.op().isStart()));
    return new Schedule(spec, steps);
  }

  /** The families to draw from: {@code mix} is every fault family; {@code double-failure} makes none. */
  static List<Family> pool(List<Family> families) {
    if (families.contains(Family.MIX)) {
      return Family.basic();
    }
    return families.stream().filter(f -> f != Family.DOUBLE_FAILURE && f != Family.MIX).toList();
  }

  /** A family of the pool with no placed fault in [from, to) (drawn uniformly), or null if none is free. */
  private static Family pick(List<Family> pool, List<Interval> placed, long from, long to, SplittableRandom random) {
    List<Family> free = new ArrayList<>();
    for (Family f : pool) {
      long stop = to + f.durationMsMin() * 1_000_000L;
      if (placed.stream().noneMatch(i -> i.family() == f && i.overlaps(from, Math.max(to, stop)))) {
        free.add(f);
      }
    }
    int index = random.nextInt(pool.size());
    // Draw from the pool, not from the free list, so one lane's choices do not shift with another's.
    Family drawn = pool.get(index);
    if (free.contains(drawn)) {
      return drawn;
    }
    return free.isEmpty() ? null : free.get(index % free.size());
  }

  private static long draw(SplittableRandom random, long min, long max) {
    return min == max ? min : random.nextLong(min, max + 1);
  }
}
