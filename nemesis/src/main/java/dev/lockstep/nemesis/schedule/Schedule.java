package dev.lockstep.nemesis.schedule;

import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded sequence of (start fault, wait, stop fault), one fault at a time, every fault stopped
 * no later than the time limit. {@link #generate} is a pure function of its spec: the same spec
 * gives the same schedule.
 */
public record Schedule(ScheduleSpec spec, List<Step> steps) {
  static final long SCHEDULE_STREAM = 0x5C4EDL;

  /** One op at {@code atNanos} after the start of the run. */
  public record Step(long atNanos, NemesisOp op) {}

  public Schedule {
    steps = List.copyOf(steps);
  }

  /** Generates the schedule of {@code spec}. */
  public static Schedule generate(ScheduleSpec spec) {
    List<Step> steps = new ArrayList<>();
    List<Family> pool = pool(spec.families());
    if (pool.isEmpty()) {
      return new Schedule(spec, steps);
    }
    SplittableRandom random = new SplittableRandom(Seeds.derive(spec.seed(), SCHEDULE_STREAM));
    long limit = spec.timeLimit().toNanos();
    long t = draw(random, spec.quietMin().toNanos(), spec.quietMax().toNanos());
    while (t + spec.faultMin().toNanos() <= limit) {
      Family family = pool.get(random.nextInt(pool.size()));
      Map<String, Object> value = spec.value(family, family.drawValue(random));
      long duration = Math.min(draw(random, spec.faultMin().toNanos(), spec.faultMax().toNanos()), limit - t);
      steps.add(new Step(t, new NemesisOp(family.startF(), value)));
      steps.add(new Step(t + duration, new NemesisOp(family.stopF(), value)));
      t += duration + draw(random, spec.quietMin().toNanos(), spec.quietMax().toNanos());
    }
    return new Schedule(spec, steps);
  }

  /**
   * The families to draw from: {@code mix} stands for the classic ones the simulator shares (this
   * schedule is the simulator's; real runs use {@link OverlapSchedule}).
   */
  private static List<Family> pool(List<Family> families) {
    if (families.contains(Family.MIX)) {
      return Family.classic();
    }
    return families.stream().filter(f -> f != Family.DOUBLE_FAILURE).toList();
  }

  private static long draw(SplittableRandom random, long min, long max) {
    return min == max ? min : random.nextLong(min, max + 1);
  }

  /** The families of the faults this schedule starts, each once, in order of first use. */
  public List<Family> familiesUsed() {
    List<Family> used = new ArrayList<>();
    for (Step s : steps) {
      Family f = Family.parse(s.op().family());
      if (!used.contains(f)) {
        used.add(f);
      }
    }
    return used;
  }

  /** Plain data for the run directory: a list of {@code {at-ns, f, value}} maps. */
  public List<Map<String, Object>> toPlain() {
    List<Map<String, Object>> plain = new ArrayList<>();
    for (Step s : steps) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at-ns", s.atNanos());
      m.put("f", s.op().f());
      m.put("value", s.op().value());
      plain.add(m);
    }
    return plain;
  }
}
