package dev.lockstep.nemesis.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FamilyEntryTest {
  private static final Duration LIMIT = Duration.ofSeconds(300);

  @Test
  void parsesRateAndDurationRange() {
    FamilyEntry p = FamilyEntry.parse("kill:every=10s:for=500ms-3s");
    assertEquals(Family.KILL, p.family());
    assertEquals(Duration.ofSeconds(10), p.every());
    assertEquals(Duration.ofMillis(500), p.forMin());
    assertEquals(Duration.ofSeconds(3), p.forMax());
    assertEquals("kill:every=10s:for=500ms-3s", p.label());
    assertTrue(p.paced());
    FamilyEntry plain = FamilyEntry.parse("partition");
    assertNull(plain.every());
    assertFalse(plain.paced());
    assertEquals(Duration.ofMinutes(2), FamilyEntry.parse("pause:for=2m").forMax());
  }

  @Test
  void badEntriesNameTheEntryAndTheProblem() {
    assertMessage("kill:every=10x", "--nemesis 'kill:every=10x': '10x' is not a duration");
    assertMessage("kill:often=1s", "unknown setting 'often'");
    assertMessage("kill:often=1s", "kill's parameters: target");
    assertMessage("kill:every", "'' is not a duration");
    assertMessage("partition:target=moon", "partition's target is one of primary, backup, random-node, zk, all, peer");
    assertMessage("kill:target=peer", "kill's target is one of primary, backup, random-node");
    assertMessage("catch-up:kill-after-ms=soon", "catch-up's kill-after-ms is a number >= 0");
    assertMessage("catch-up:kill-after-ms=-5", "a number >= 0");
    assertMessage("one-way:direction=acks:direction=entries", "direction= is given twice");
    assertMessage("double-failure:target=peer", "double-failure makes no faults of its own");
    assertMessage("kill:every=0s", "must be from 1ms to a year");
    assertMessage("kill:every=100ms", "every= must be at least 500ms");
    assertMessage("kill:for=3s-1s", "MIN <= MAX");
    assertMessage("mix:every=5s", "mix makes no faults of its own");
    assertMessage("klil:every=5s", "unknown nemesis family 'klil'");
  }

  private static void assertMessage(String entry, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FamilyEntry.parse(entry));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void aPacedFamilyStartsAboutEveryPeriodOnItsOwnLane() {
    List<Long> gaps = new ArrayList<>();
    for (long seed = 0; seed < 10; seed++) {
      Schedule s = OverlapSchedule.generate(spec(seed, "kill:every=10s:for=1s-2s", "partition"));
      long last = -1;
      long lastStop = -1;
      for (Schedule.Step step : s.steps()) {
        if (!step.op().family().equals("kill")) {
          continue;
        }
        if (step.op().isStart()) {
          assertTrue(step.atNanos() >= lastStop, "a kill starts before the previous one stopped, seed " + seed);
          if (last >= 0) {
            gaps.add(step.atNanos() - last);
          }
          last = step.atNanos();
        } else {
          long length = step.atNanos() - last;
          assertTrue(length >= 1_000_000_000L && length <= 2_000_000_000L || step.atNanos() == LIMIT.toNanos(),
              "a kill lasts " + length + " ns outside for=1s-2s, seed " + seed);
          lastStop = step.atNanos();
        }
      }
    }
    double mean = gaps.stream().mapToLong(Long::longValue).average().orElseThrow() / 1e9;
    assertTrue(mean > 9 && mean < 11, "mean gap between kills " + mean + " s, asked every=10s");
    assertTrue(gaps.stream().allMatch(g -> g >= 5_000_000_000L && g <= 15_000_000_000L), "a gap outside [5 s, 15 s]: " + gaps);
  }

  @Test
  void aPacedFamilyOverlapsTheOthersAndLeavesMixsPool() {
    int overlapping = 0;
    for (long seed = 0; seed < 10; seed++) {
      Schedule s = OverlapSchedule.generate(spec(seed, "mix", "kill:every=8s"));
      Map<String, Long> active = new HashMap<>();
      int kills = 0;
      for (Schedule.Step step : s.steps()) {
        String f = step.op().family();
        if (step.op().isStart()) {
          if (!active.isEmpty() && f.equals("kill") || active.containsKey("kill")) {
            overlapping++;
          }
          assertNull(active.put(f, step.atNanos()), "two " + f + " faults at once, seed " + seed);
          kills += f.equals("kill") ? 1 : 0;
        } else {
          active.remove(f);
        }
      }
      // every kill comes from its own lane: about LIMIT / 8 s of them, not a share of mix's draws
      assertTrue(kills >= 25 && kills <= 45, kills + " kills in 300 s at every=8s, seed " + seed);
    }
    assertTrue(overlapping > 0, "the kill lane never overlapped mix's faults");
  }

  @Test
  void theSameEntriesGiveTheSameScheduleAndAPaceChangesNoOtherLane() {
    ScheduleSpec paced = spec(3, "partition:for=1s", "kill:every=7s");
    assertEquals(OverlapSchedule.generate(paced).toPlain(), OverlapSchedule.generate(paced).toPlain());
    List<Schedule.Step> partitionsPaced = only(OverlapSchedule.generate(paced), "partition");
    List<Schedule.Step> partitionsAlone = only(OverlapSchedule.generate(spec(3, "partition:for=1s")), "partition");
    assertEquals(partitionsAlone, partitionsPaced);
  }

  @Test
  void aPinFixesOneParameterAndChangesNothingElse() {
    FamilyEntry e = FamilyEntry.parse("partition:target=peer:every=5s");
    assertEquals(Map.of("target", "peer"), e.pins());
    assertEquals("partition:every=5s:target=peer", e.label());
    assertEquals(900L, FamilyEntry.parse("catch-up:kill-after-ms=900").pins().get("kill-after-ms"));
    for (long seed = 0; seed < 5; seed++) {
      List<Schedule.Step> pinned = only(OverlapSchedule.generate(spec(seed, "partition:target=peer", "kill", "pause")), "partition");
      List<Schedule.Step> drawn = only(OverlapSchedule.generate(spec(seed, "partition", "kill", "pause")), "partition");
      assertFalse(pinned.isEmpty());
      assertEquals(drawn.size(), pinned.size(), "the same faults at the same times, seed " + seed);
      for (int i = 0; i < drawn.size(); i++) {
        assertEquals(drawn.get(i).atNanos(), pinned.get(i).atNanos());
        Map<?, ?> v = (Map<?, ?>) pinned.get(i).op().value();
        assertEquals("peer", v.get("target"));
      }
      assertEquals(only(OverlapSchedule.generate(spec(seed, "partition", "kill", "pause")), "kill"),
          only(OverlapSchedule.generate(spec(seed, "partition:target=peer", "kill", "pause")), "kill"));
    }
  }

  @Test
  void everyValueAFamilyDrawsCanBePinned() {
    for (Family f : Family.basic()) {
      java.util.SplittableRandom random = new java.util.SplittableRandom(f.ordinal());
      for (int i = 0; i < 200; i++) {
        f.drawValue(random).forEach((k, v) -> assertEquals(v, f.pinValue(k, String.valueOf(v)), f + " " + k));
      }
    }
  }

  private static List<Schedule.Step> only(Schedule s, String family) {
    return s.steps().stream().filter(st -> st.op().family().equals(family)).toList();
  }

  private static ScheduleSpec spec(long seed, String... entries) {
    return ScheduleSpec.of(FamilyEntry.parseAll(List.of(entries)), seed, LIMIT, Duration.ofSeconds(2),
        Duration.ofSeconds(6), Duration.ofSeconds(3), Duration.ofSeconds(8));
  }
}
