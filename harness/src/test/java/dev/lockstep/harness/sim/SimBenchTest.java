package dev.lockstep.harness.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lockstep.ftvm.node.UnsafeBug;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimBenchTest {

  @Test
  void medianOfOddAndEvenCountsWithTimeoutsAsTheBound() {
    assertEquals(3.0, SimBench.median(List.of(120.0, 3.0, 1.0)));
    assertEquals(2.5, SimBench.median(List.of(4.0, 1.0, 2.0, 3.0)));
    assertEquals(120.0, SimBench.median(List.of(120.0, 120.0, 120.0, 2.0, 1.0)));
    assertThrows(IllegalArgumentException.class, () -> SimBench.median(List.of()));
  }

  @Test
  void noDedupIsHuntedOnAppendEveryOtherBugOnTheDefaultWorkload() {
    for (UnsafeBug bug : UnsafeBug.values()) {
      assertEquals(bug == UnsafeBug.NO_DEDUP ? "append" : SimSettings.DEFAULT_WORKLOAD, SimBench.workload(bug));
    }
  }
}
