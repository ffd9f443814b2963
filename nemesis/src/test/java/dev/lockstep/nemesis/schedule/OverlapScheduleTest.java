package dev.lockstep.nemesis.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OverlapScheduleTest {
  private static final Duration LIMIT = Duration.ofSeconds(120);

  @Test
  void theSameSpecGivesTheSameSchedule() {
    ScheduleSpec spec = ScheduleSpec.of(List.of(Family.MIX), 7, LIMIT);
    assertEquals(OverlapSchedule.generate(spec).toPlain(), OverlapSchedule.generate(spec).toPlain());
  }

  @Test
  void mixOverlapsFaultsOfDifferentFamiliesAndNeverTwoOfOne() {
    int overlaps = 0;
    for (long seed = 0; seed < 20; seed++) {
      Schedule s = OverlapSchedule.generate(ScheduleSpec.of(List.of(Family.MIX), seed, LIMIT));
      Map<String, Long> active = new HashMap<>();
      int maxActive = 0;
      long previous = 0;
      for (Schedule.Step step : s.steps()) {
        assertTrue(step.atNanos() >= previous, "steps go back in time: " + step);
        assertTrue(step.atNanos() <= LIMIT.toNanos(), "a fault outlives the time limit: " + step);
        previous = step.atNanos();
        String family = step.op().family();
        if (step.op().isStart()) {
          assertTrue(active.put(family, step.atNanos()) == null, "two " + family + " faults at once, seed " + seed);
          maxActive = Math.max(maxActive, active.size());
        } else {
          assertTrue(active.remove(family) != null, "a stop without its start: " + step);
        }
      }
      assertTrue(active.isEmpty(), "faults left active: " + active);
      if (maxActive >= 2) {
        overlaps++;
      }
    }
    assertTrue(overlaps >= 15, "only " + overlaps + " of 20 mix schedules overlap faults");
  }

  @Test
  void mixUsesEveryFaultFamily() {
    Set<Family> used = new HashSet<>();
    for (long seed = 0; seed < 10; seed++) {
      used.addAll(OverlapSchedule.generate(ScheduleSpec.of(List.of(Family.MIX), seed, Duration.ofSeconds(600))).familiesUsed());
    }
    assertEquals(Set.copyOf(Family.basic()), used);
  }

  @Test
  void coordinationFaultsOutlastTheSessionTimeout() {
    Schedule s = OverlapSchedule.generate(ScheduleSpec.of(List.of(Family.COORDINATION), 3, LIMIT));
    List<Schedule.Step> steps = s.steps();
    assertTrue(!steps.isEmpty());
    for (int i = 0; i < steps.size(); i += 2) {
      long held = steps.get(i + 1).atNanos() - steps.get(i).atNanos();
      boolean cutByLimit = steps.get(i + 1).atNanos() == LIMIT.toNanos();
      assertTrue(cutByLimit || held >= Family.COORDINATION.durationMsMin() * 1_000_000L, "held " + held + " ns");
    }
  }

  @Test
  void oneFamilyRunsOneLaneAndDoubleFailureMakesNoFault() {
    assertEquals(1, OverlapSchedule.lanesFor(List.of(Family.KILL, Family.DOUBLE_FAILURE)));
    assertEquals(2, OverlapSchedule.lanesFor(List.of(Family.MIX)));
    assertTrue(OverlapSchedule.generate(ScheduleSpec.of(List.of(Family.DOUBLE_FAILURE), 1, LIMIT)).steps().isEmpty());
    assertThrows(IllegalArgumentException.class,
        () -> OverlapSchedule.generate(ScheduleSpec.of(List.of(Family.KILL), 1, LIMIT), OverlapSchedule.LANES_MAX + 1));
  }

  @Test
  void oneFamilyKeepsTheScheduleItsSeedAlwaysHad() {
    for (Family f : Family.classic()) {
      ScheduleSpec spec = ScheduleSpec.of(List.of(f), 71, LIMIT);
      assertEquals(Schedule.generate(spec).toPlain(), OverlapSchedule.generate(spec).toPlain(), f.label());
    }
  }

  @Test
  void theSimulatorsScheduleStillDrawsTheClassicFamiliesOnly() {
    Schedule s = Schedule.generate(ScheduleSpec.of(List.of(Family.MIX), 3, Duration.ofSeconds(600)));
    assertTrue(Family.classic().containsAll(s.familiesUsed()), s.familiesUsed().toString());
  }
}
