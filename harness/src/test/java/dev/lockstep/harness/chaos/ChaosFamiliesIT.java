package dev.lockstep.harness.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.harness.api.TestResult;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Short chaos runs of every nemesis family against cas-register and append, on real processes: each must
 * end valid (linearizable, no duplicate output, no divergence, no split-brain, live after healing).
 */
class ChaosFamiliesIT {

  static List<Scenarios.Scenario> scenarios() {
    return Scenarios.families();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void endsValid(Scenarios.Scenario scenario) throws Exception {
    TestResult result = Scenarios.builder(scenario).run();
    assertTrue(result.ops() > 0, "the workload ran: " + result.describe());
    assertTrue(result.valid(), result.describe() + " evidence " + result.evidence());
  }
}
