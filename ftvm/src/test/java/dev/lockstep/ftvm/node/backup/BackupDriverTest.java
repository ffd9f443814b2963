package dev.lockstep.ftvm.node.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.guests.Guests;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.records.NodeEventLog;
import dev.lockstep.ftvm.replay.HostPort;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupDriverTest {
  @TempDir Path dir;

  /**
   * A progress marker vouches for instructions with no entry: the backup runs to it within its budget,
   * whatever the budget (the replay thread's is Long.MAX_VALUE), then has nothing to do.
   */
  @Test
  void aBackupRunsToTheVouchedIcountWithinItsBudgetThenIdles() throws Exception {
    try (NodeEventLog events = new NodeEventLog(dir.resolve("events.jsonl"), "b", () -> 0)) {
      Machine m = Machine.boot(Guests.load("kv"), MachineConfig.builder().build(), HostPort.UNATTACHED);
      BackupDriver b = new BackupDriver(HostClock.SYSTEM, events, e -> { }, 1L << 40, false, 1);
      b.start(m, null, e -> { });
      long start = m.icount();
      b.progress(start + 5_000);

      BackupDriver.Step s = b.step(1_000);
      assertNull(s.outcome());
      assertFalse(s.idle());
      assertEquals(start + 1_000, m.icount(), "a step runs its budget and no more");

      s = b.step(Long.MAX_VALUE);
      assertNull(s.outcome());
      assertFalse(s.idle());
      assertEquals(start + 5_000, m.icount(), "the rest, up to the vouched icount");

      s = b.step(Long.MAX_VALUE);
      assertTrue(s.idle(), "nothing is vouched past it");
      assertEquals(start + 5_000, m.icount());
    }
  }
}
