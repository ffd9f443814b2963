package dev.lockstep.ftvm.node.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlowControlTest {

  @Test
  void noPauseWithinTheBoundAndBoundedPauseBeyondIt() {
    FlowControl fc = new FlowControl(100);
    for (int i = 0; i < 200; i++) {
      fc.sample(10_000_000, 1_000_000_000); // 10 M instructions per second
    }
    assertEquals(1_000_000, fc.lagInstructionsMax(), 20_000);
    assertEquals(0, fc.pauseMicros(5_000_000, 4_500_000));
    long pause = fc.pauseMicros(5_000_000, 3_000_000);
    assertTrue(pause > 0 && pause <= FlowControl.PAUSE_US_MAX, "pause " + pause);
    assertEquals(200.0, fc.lagMs(5_000_000, 3_000_000), 5.0);
  }

  @Test
  void tinySamplesDoNotMoveTheSpeed() {
    FlowControl fc = new FlowControl(100);
    fc.sample(1, 1000);
    assertEquals(FlowControl.IPS_INITIAL, fc.instructionsPerSecond());
  }
}
