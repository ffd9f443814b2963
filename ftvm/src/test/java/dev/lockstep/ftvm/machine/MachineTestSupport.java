package dev.lockstep.ftvm.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Boots and runs test guests. */
final class MachineTestSupport {
  static final long STEPS_MAX = 50_000_000L;

  private MachineTestSupport() {}

  static Machine boot(byte[] elf, TestPort port) {
    try {
      return Machine.boot(elf, MachineConfig.defaults(), port);
    } catch (ElfException e) {
      throw new AssertionError(e);
    }
  }

  /** Runs to halt (IDLE is resumed) and returns the machine. */
  static Machine runToHalt(byte[] elf, TestPort port) {
    Machine m = boot(elf, port);
    while (m.run(STEPS_MAX) == RunStatus.IDLE) {
      // wfi without a pending interrupt is a nop for these tests
    }
    assertTrue(m.halted(), "guest did not halt within " + STEPS_MAX + " instructions, pc 0x" + Integer.toHexString(m.pc()));
    return m;
  }

  /** Runs an instruction test and asserts that every TEST_* passed. */
  static void assertPasses(byte[] elf) {
    Machine m = runToHalt(elf, new TestPort());
    assertEquals(0, m.exitCode(), "test number " + m.exitCode() + " failed");
  }
}
