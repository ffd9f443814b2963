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
 * the families not active in the interval it fills, and skips the interval when none is free. Lane 0
 * draws exactly as {@link Schedule} does, so a run of one family keeps the schedule its seed always
 * had. A pure function of (spec, lanes); {@code mix} draws from every fault family.
 */
public final class OverlapSchedule {
  /** Lanes a real run with several families uses: up to this many faults at a time. */
  public static final int LANES_DEFAULT = 2;
  public static final int LANES_MAX = 4;

  private static final long LANE_STREAM = 0x0FE7L;
  /** Streams of the families' own lanes, one per family. */
  private static final long PACED_STREAM = 0x9ACE00L;

  private OverlapSchedule() {}

  /** One placed fault. */
  private record Interval(Family family, long start, long stop) {
    boolean overlaps(long from, long to) {
      return start < to && from < stop;
    }
  }

  /** The shared lanes a run of {@code families} uses: one per family, at most {@link #LANES_DEFAULT}. */
  public static int lanesFor(List<Family> families) {
    return Math.min(LANES_DEFAULT, pool(families).size());
  }

  /** The overlapping schedule of {@code spec} with {@link #lanesFor} shared lanes. */
  public static Schedule generate(ScheduleSpec spec) {
    return generate(spec, Math.max(1, Math.min(LANES_DEFAULT, shared(spec).size())));
  }

  /**
   * {@code lanes} shared lanes draw among the families without a rate of their own; each family with
   * one ({@link FamilyEntry#paced}) runs on a lane of its own besides.
   *
   * @throws IllegalArgumentException if {@code lanes} is not in 1..{@link #LANES_MAX}
   */
  public static Schedule generate(ScheduleSpec spec, int lanes) {
    if (lanes < 1 || lanes > LANES_MAX) {
      throw new IllegalArgumentException("overlap lanes must be 1.." + LANES_MAX + ", got " + lanes);
    }
    List<Family> pool = shared(spec);
    long limit = spec.timeLimit().toNanos();
    List<Interval> placed = new ArrayList<>();
    List<Schedule.Step> steps = new ArrayList<>();
    for (int lane = 0; lane < lanes && !pool.isEmpty(); lane++) {
      // Lane 0 draws exactly as Schedule does, so a run with one family keeps its schedule.
      long stream = lane == 0 ? Schedule.SCHEDULE_STREAM : LANE_STREAM + lane;
      SplittableRandom random = new SplittableRandom(Seeds.derive(spec.seed(), stream));
      long t = draw(random, spec.quietMin().toNanos(), spec.quietMax().toNanos());
      while (t + spec.faultMin().toNanos() <= limit) {
        Family family = pool.get(random.nextInt(pool.size()));
        Map<String, Object> value = spec.value(family, family.drawValue(random));
        long duration = Math.min(drawFault(spec, family, random), limit - t);
        if (busy(family, placed, t, t + duration)) {
          family = free(pool, placed, t, t + duration, random);
          value = family == null ? null : spec.value(family, family.drawValue(random));
        }
        if (family != null) {
          duration = Math.min(Math.max(duration, family.durationMsMin() * 1_000_000L), limit - t);
          place(family, value, t, duration, placed, steps);
        }
        t += duration + draw(random, spec.quietMin().toNanos(), spec.quietMax().toNanos());
      }
    }
    for (FamilyEntry pace : spec.entries().values()) {
      if (pace.paced() && spec.families().contains(pace.family())) {
        pacedLane(spec, pace, limit, placed, steps);
      }
    }
    // Stops before starts at one instant, so a fault of a family ends before the next one begins.
    steps.sort(Comparator.comparingLong(Schedule.Step::atNanos).thenComparing(s -> s.op().isStart()));
    return new Schedule(spec, steps);
  }

  /**
   * A family's own lane: starts about {@code every} apart (each gap drawn from [every/2, 3·every/2]),
   * never before its previous fault stopped.
   */
  private static void pacedLane(ScheduleSpec spec, FamilyEntry pace, long limit, List<Interval> placed,
      List<Schedule.Step> steps) {
    Family family = pace.family();
    SplittableRandom random = new SplittableRandom(Seeds.derive(spec.seed(), PACED_STREAM + family.ordinal()));
    long every = pace.every().toNanos();
    long shortest = Math.max(spec.faultRangeNanos(family)[0], family.durationMsMin() * 1_000_000L);
    long t = draw(random, every / 2, every * 3 / 2);
    while (t + Math.min(shortest, spec.faultMin().toNanos()) <= limit) {
      Map<String, Object> value = spec.value(family, family.drawValue(random));
      long duration = Math.min(Math.max(drawFault(spec, family, random), family.durationMsMin() * 1_000_000L), limit - t);
      place(family, value, t, duration, placed, steps);
      t = Math.max(t + draw(random, every / 2, every * 3 / 2), t + duration);
    }
  }

  private static void place(Family family, Map<String, Object> value, long at, long duration, List<Interval> placed,
      List<Schedule.Step> steps) {
    placed.add(new Interval(family, at, at + duration));
    steps.add(new Schedule.Step(at, new NemesisOp(family.startF(), value)));
    steps.add(new Schedule.Step(at + duration, new NemesisOp(family.stopF(), value)));
  }

  /** The families the shared lanes draw among: the pool, less those with a rate of their own. */
  private static List<Family> shared(ScheduleSpec spec) {
    return pool(spec.families()).stream().filter(f -> {
      FamilyEntry p = spec.entries().get(f);
      return p == null || !p.paced();
    }).toList();
  }

  private static long drawFault(ScheduleSpec spec, Family family, SplittableRandom random) {
    long[] range = spec.faultRangeNanos(family);
    return draw(random, range[0], range[1]);
  }

  /** The families to draw from: {@code mix} is every fault family; {@code double-failure} makes none. */
  static List<Family> pool(List<Family> families) {
    if (families.contains(Family.MIX)) {
      if (!families.contains(Family.ATTACK)) {
        return Family.basic();
      }
      List<Family> pool = new java.util.ArrayList<>(Family.basic());
      pool.add(Family.ATTACK); // attack joins mix only when named
      return pool;
    }
    return families.stream().filter(f -> f != Family.DOUBLE_FAILURE && f != Family.MIX).toList();
  }

  /** Whether a fault of {@code family} placed over [from, to) (at least its shortest duration) would overlap one of its own. */
  private static boolean busy(Family family, List<Interval> placed, long from, long to) {
    long stop = Math.max(to, from + family.durationMsMin() * 1_000_000L);
    return placed.stream().anyMatch(i -> i.family() == family && i.overlaps(from, stop));
  }

  /** A family of the pool free over [from, to), drawn uniformly, or null if none is. */
  private static Family free(List<Family> pool, List<Interval> placed, long from, long to, SplittableRandom random) {
    List<Family> free = pool.stream().filter(f -> !busy(f, placed, from, to)).toList();
    return free.isEmpty() ? null : free.get(random.nextInt(free.size()));
  }

  private static long draw(SplittableRandom random, long min, long max) {
    return min == max ? min : random.nextLong(min, max + 1);
  }
}
