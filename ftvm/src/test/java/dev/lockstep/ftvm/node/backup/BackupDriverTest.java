package dev.lockstep.ftvm.node.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.ft.LogEntry;
import dev.lockstep.ftvm.guests.Guests;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.records.NodeEventLog;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.histories.events.NodeEvent;
import dev.lockstep.histories.events.NodeEventReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** A go-live's catch-up logs what the backup received, acked and executed: here every entry. */
  @Test
  void aCatchUpLogsEveryEntryReceivedAndAckedAsExecuted() throws Exception {
    Path file = dir.resolve("events.jsonl");
    try (NodeEventLog events = new NodeEventLog(file, "b", () -> 0)) {
      Machine m = Machine.boot(Guests.load("kv"), MachineConfig.builder().build(), HostPort.UNATTACHED);
      BackupDriver b = new BackupDriver(HostClock.SYSTEM, events, e -> { }, 1L << 40, false, 4);
      List<Long> acks = new ArrayList<>();
      b.acker((seq, icount) -> acks.add(seq));
      b.start(m, null, e -> { });
      long start = m.icount();
      b.entries(List.of(new LogEntry(1, Event.of(start + 1_000, EventKind.PROGRESS)),
          new LogEntry(2, Event.of(start + 2_000, EventKind.PROGRESS))));
      b.entries(List.of(new LogEntry(3, Event.of(start + 3_000, EventKind.PROGRESS))));
      b.primaryLost("test");

      assertTrue(b.catchUp());
      assertEquals(List.of(2L, 3L), acks);
      NodeEvent.CaughtUp c = (NodeEvent.CaughtUp) NodeEventReader.read(file).get(0);
      assertEquals(new NodeEvent.CaughtUp("b", 4, 3, 3, 3, 0, start + 3_000, 0), c);
    }
  }
}
