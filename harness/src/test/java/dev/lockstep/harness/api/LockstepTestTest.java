package dev.lockstep.harness.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.harness.runner.TestSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockstepTestTest {

  @Test
  void builderSetsEachSettingAndKeepsTheRestAtDefaults() {
    TestSettings s = LockstepTest.builder().workload("append").nemesis("partition", "kill")
        .timeLimit(Duration.ofMillis(12_500)).seed(42).concurrency(3).rate(20).unsafe("no-dedup").keys(4)
        .settings();
    assertEquals("append", s.workload());
    assertEquals(List.of("partition", "kill"), s.nemesis());
    assertEquals(12.5, s.timeLimitSeconds());
    assertEquals(42, s.seed());
    assertEquals(List.of("no-dedup"), s.unsafe());
    assertEquals(TestSettings.defaults().livenessSeconds(), s.livenessSeconds());
    assertTrue(LockstepTest.builder().nemesis("none").settings().nemesis().isEmpty());
  }

  @Test
  void badSettingsFailBeforeAnythingStarts() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LockstepTest.builder().workload("bank").run());
    assertTrue(e.getMessage().contains("--workload"), e.getMessage());
  }
}
