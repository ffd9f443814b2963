package dev.lockstep.nemesis.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final Duration LIMIT = Duration.ofSeconds(120);

  @Test
  void sameSpecGivesTheSameSchedule() {
    ScheduleSpec spec = ScheduleSpec.of(List.of(Family.MIX), 7, LIMIT);
    assertEquals(Schedule.generate(spec).steps(), Schedule.generate(spec).steps());
    assertEquals(List.of("mix"), spec.toPlain().get("families"));
    assertEquals(7L, spec.toPlain().get("seed"));
    assertEquals(Schedule.generate(spec).toPlain(), Schedule.generate(ScheduleSpec.of(List.of(Family.MIX), 7, LIMIT)).toPlain());
  }

  @Test
  void anotherSeedGivesAnotherSchedule() {
    assertNotEquals(
        Schedule.generate(ScheduleSpec.of(List.of(Family.MIX), 7, LIMIT)).steps(),
        Schedule.generate(ScheduleSpec.of(List.of(Family.MIX), 8, LIMIT)).steps());
  }

  @ParameterizedTest
  @EnumSource(value = Family.class, names = {"PARTITION", "KILL", "PAUSE", "SLOW", "CLOCK", "ZK", "MIX"})
  void everyFamilyMakesPairedStartsAndStopsHealedByTheTimeLimit(Family family) {
    for (long seed = 0; seed < 20; seed++) {
      Schedule s = Schedule.generate(ScheduleSpec.of(List.of(family), seed, LIMIT));
      List<Schedule.Step> steps = s.steps();
      assertFalse(steps.isEmpty(), family + " seed " + seed + " made no faults in " + LIMIT);
      assertEquals(0, steps.size() % 2);
      long previous = -1;
      for (int i = 0; i < steps.size(); i += 2) {
        Schedule.Step start = steps.get(i);
        Schedule.Step stop = steps.get(i + 1);
        assertTrue(start.op().isStart(), start.toString());
        assertTrue(stop.op().isStop(), stop.toString());
        assertEquals(start.op().family(), stop.op().family());
        assertEquals(start.op().value(), stop.op().value());
        assertTrue(start.atNanos() > previous, "faults overlap or go back in time");
        assertTrue(stop.atNanos() > start.atNanos());
        assertTrue(stop.atNanos() <= LIMIT.toNanos(), "a fault outlives the time limit");
        previous = stop.atNanos();
        Family used = Family.parse(start.op().family());
        assertTrue(family == Family.MIX ? used != Family.MIX : used == family, used + " in a " + family + " schedule");
        assertValidValue(used, start.op());
      }
    }
  }

  @Test
  void mixDrawsFromSeveralFamilies() {
    Schedule s = Schedule.generate(ScheduleSpec.of(List.of(Family.MIX), 3, Duration.ofSeconds(600)));
    assertTrue(s.familiesUsed().size() >= 4, "mix used only " + s.familiesUsed());
  }

  @Test
  void noFamiliesOrNoRoomMeansNoFaults() {
    assertTrue(Schedule.generate(ScheduleSpec.of(List.of(), 1, LIMIT)).steps().isEmpty());
    assertTrue(Schedule.generate(ScheduleSpec.of(List.of(Family.KILL), 1, Duration.ofSeconds(1))).steps().isEmpty());
  }

  @Test
  void familiesParseFromTheCommandLine() {
    assertEquals(List.of(Family.PARTITION, Family.KILL), Family.parseList("partition, kill,partition"));
    assertEquals(List.of(), Family.parseList("none"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Family.parseList("partition,meteor"));
    assertTrue(e.getMessage().contains("'meteor'") && e.getMessage().contains("partition"), e.getMessage());
  }

  @Test
  void badIntervalsAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new ScheduleSpec(List.of(), 1, LIMIT, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2)));
    assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.of(List.of(), 1, Duration.ZERO));
  }

  private static void assertValidValue(Family family, NemesisOp op) {
    Map<?, ?> v = (Map<?, ?>) op.value();
    if (v.containsKey("target")) {
      Target.parse((String) v.get("target"));
    }
    switch (family) {
      case CLOCK -> {
        long offset = Math.abs(((Number) v.get("offset-ms")).longValue());
        assertTrue(offset >= Family.CLOCK_OFFSET_MS_MIN && offset <= Family.CLOCK_OFFSET_MS_MAX, op.toString());
      }
      case ZK -> {
        assertTrue(List.of("kill", "pause").contains(v.get("mode")), op.toString());
        assertTrue(List.of("minority", "majority").contains(v.get("count")), op.toString());
      }
      case SLOW -> {
        assertEquals("backup", v.get("target"));
        assertTrue(((Number) v.get("pause-ms")).longValue() >= Family.SLOW_PHASE_MS_MIN, op.toString());
      }
      case ATTACK -> assertTrue(Family.ATTACK_ATTEMPTS.contains(v.get("attempt")), op.toString());
      default -> assertTrue(v.containsKey("target"), op.toString());
    }
  }
}
