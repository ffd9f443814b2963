package dev.lockstep.harness.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.harness.api.TestResult;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Testing the tester: each planted bug ({@code --unsafe}) under a nemesis that exposes it must end
 * invalid, and with an anomaly of the kind the bug causes. The same scenario without the bug must end
 * valid: one of {@link ChaosFamiliesIT}'s runs, or a control run here.
 */
class PlantedBugsIT {

  static Stream<Arguments> bugs() {
    return Stream.of(
        // Output before the ack: after failover clients hold replies the new primary never produced.
        Arguments.of("skip-output-rule", Scenarios.CAS_PARTITION,
            Set.of("linearizable", "duplicate-output", "split-brain", "output-continuity")),
        // Both sides go live when cut from each other: two primaries release output.
        Arguments.of("no-golive-lock", Scenarios.CAS_PARTITION_ZK, Set.of("split-brain", "linearizable", "duplicate-output")),
        // The backup's guest sees other clock values than the primary's (the server loop stamps every
        // packet with mtime): their states drift apart.
        Arguments.of("backup-own-clock", Scenarios.CAS_CLOCK, Set.of("divergence")),
        // The guest's tick handler reads the clock: a backup that takes the tick one instruction late
        // meets that read at another icount than the primary logged.
        Arguments.of("late-timer", Scenarios.CAS_CLOCK, Set.of("divergence")),
        // Entries acked but never stored are missing when the backup goes live. The kills are not held to
        // one copy (double-failure): this seed's schedule was chosen before the fault budget existed.
        Arguments.of("ack-before-write", Scenarios.CAS_KILL_DOUBLE,
            Set.of("linearizable", "duplicate-output", "divergence", "output-continuity")),
        // A retry under a fresh request id is applied twice.
        Arguments.of("no-dedup", Scenarios.APPEND_SLOW, Set.of("linearizable", "duplicate-output")));
  }

  /** The bug scenarios that are not among {@link ChaosFamiliesIT}'s runs, without the bug. */
  static List<Scenarios.Scenario> controls() {
    return List.of(Scenarios.CAS_PARTITION_ZK);
  }

  @ParameterizedTest(name = "control: {0}")
  @MethodSource("controls")
  void withoutTheBugIsValid(Scenarios.Scenario scenario) throws Exception {
    TestResult result = Scenarios.builder(scenario).run();
    assertTrue(result.valid(), "the control run without a planted bug: " + result.describe() + " evidence " + result.evidence());
  }

  @ParameterizedTest(name = "{0} under {1}")
  @MethodSource("bugs")
  void isCaught(String bug, Scenarios.Scenario scenario, Set<String> anomalies) throws Exception {
    TestResult result = Scenarios.builder(scenario).unsafe(bug).run();
    assertEquals(Verdict.FALSE, result.verdict(), bug + " went unnoticed: " + result.describe());
    List<String> found = result.invalidCheckers();
    assertTrue(found.stream().anyMatch(anomalies::contains),
        bug + " should show as one of " + anomalies + " but the invalid checkers are " + found + ": " + result.describe());
    if (bug.equals("backup-own-clock")) {
      // the backup's own lockstep check fails as it replays, and its event log says so
      Object reported = result.result("divergence").orElseThrow().evidence().get("divergences-reported");
      assertTrue(reported instanceof Number n && n.intValue() > 0, "divergences the backup reported: " + reported);
    }
  }
}
