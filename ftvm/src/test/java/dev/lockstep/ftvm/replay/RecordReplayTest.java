package dev.lockstep.ftvm.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.node.host.Recorder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guest using every nondeterministic device replays bit-exactly from its log. */
class RecordReplayTest {
  @TempDir static Path dir;
  static RecordedRun run;

  @BeforeAll
  static void record() throws Exception {
    run = RecordedRun.record(42, dir.resolve("disk.img"));
  }

  @Test
  void recordingHasThousandsOfEventsOfEveryKind() {
    assertEquals(0, run.exitCode, run.console);
    assertTrue(run.console.contains("digest="), run.console);
    assertTrue(run.events.size() > 3000, "events: " + run.events.size());
    for (EventKind k : new EventKind[] {EventKind.TIMER, EventKind.PACKET, EventKind.DISK_DONE, EventKind.CLOCK_MTIME,
        EventKind.CLOCK_RTC, EventKind.RNG, EventKind.CONSOLE_OUT, EventKind.NIC_TX, EventKind.DISK_START}) {
      assertTrue(run.count(k) > 10, k + ": " + run.count(k));
    }
    assertTrue(!run.console.contains("disk_ok=00000000"), run.console);
  }

  @Test
  void replayIsBitExact() throws Exception {
    RecordedRun.Replay r = RecordedRun.replay(run.image, run.log);
    assertEquals(Replayer.Status.HALTED, r.result().status());
    assertEquals(run.console, r.console());
    assertEquals(run.finalHash, r.hash());
    assertEquals(run.finalIcount, r.result().icount());
    assertEquals(run.count(EventKind.STATE_HASH), r.result().hashesVerified());
  }

  @Test
  void replayInSmallPiecesLikeABackupEqualsOnePiece() throws Exception {
    // a backup runs only as far as the primary vouched for: stop at many arbitrary icounts on the way
    ReplayLogReader reader = new ReplayLogReader(new java.io.ByteArrayInputStream(run.log));
    Machine m = Machine.boot(run.image, RecordedRun.config(), new ReplayPort(reader, OutputHandler.NONE));
    Replayer replayer = new Replayer(m, reader);
    java.util.SplittableRandom steps = new java.util.SplittableRandom(9);
    Replayer.Result r;
    long limit = 0;
    do {
      limit += 1 + steps.nextInt(20_000);
      r = replayer.run(limit);
    } while (r.status() == Replayer.Status.LIMIT);
    assertEquals(Replayer.Status.HALTED, r.status());
    assertEquals(run.finalHash, m.stateHash());
  }

  @Test
  void sameSeedRecordsTheSameLog() throws Exception {
    RecordedRun again = RecordedRun.record(42, dir.resolve("disk2.img"));
    assertEquals(run.events, again.events);
    RecordedRun other = RecordedRun.record(43, dir.resolve("disk3.img"));
    assertNotEquals(run.finalHash, other.finalHash);
  }

  @Test
  void alteredInputIsReportedAtItsIcount() throws Exception {
    // rewrite one RNG value in the middle of the log: replay must diverge, at that icount or later
    int target = run.events.size() / 2;
    while (run.events.get(target).kind() != EventKind.RNG) {
      target++;
    }
    Event victim = run.events.get(target);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ReplayLogWriter w = new ReplayLogWriter(out, new ReplayLogReader(new ByteArrayInputStream(run.log)).header())) {
      for (Event e : run.events) {
        w.append(e == victim ? Event.ofInt(e.icount(), EventKind.RNG, e.intValue() ^ 0x10) : e);
      }
    }
    ReplayDivergence d = assertThrows(ReplayDivergence.class, () -> RecordedRun.replay(run.image, out.toByteArray()));
    assertTrue(d.icount() >= victim.icount(), d.getMessage());
  }

  @Test
  void aMachinePastAnInputsIcountIsADivergenceNotACrash() throws Exception {
    // a backup that ran past the icount where the primary took an interrupt can no longer follow the log;
    // the overshoot must read no input itself (the port would report that), so try interrupts in turn
    int tried = 0;
    for (int at = run.events.size() / 2; at < run.events.size() && tried < 50; at++) {
      Event timer = run.events.get(at);
      if (timer.kind() != EventKind.TIMER || run.events.get(at + 1).icount() <= timer.icount() + 1) {
        continue;
      }
      tried++;
      ReplayLogReader reader = new ReplayLogReader(new ByteArrayInputStream(run.log));
      Machine m = Machine.boot(run.image, RecordedRun.config(), new ReplayPort(reader, OutputHandler.NONE));
      Replayer replayer = new Replayer(m, reader);
      assertEquals(Replayer.Status.LIMIT, replayer.run(timer.icount() - 1).status());
      try {
        m.run(timer.icount() + 1); // past the interrupt with nothing delivered, as flow control past the vouched icount would
      } catch (ReplayDivergence readAnInput) {
        continue;
      }
      ReplayDivergence d = assertThrows(ReplayDivergence.class, () -> replayer.run(Long.MAX_VALUE));
      assertEquals(timer.icount(), d.icount());
      assertTrue(d.getMessage().contains("already at icount " + m.icount()), d.getMessage());
      return;
    }
    throw new AssertionError("no interrupt in " + tried + " tried was followed by an instruction that reads no input");
  }

  @Test
  void snapshotRestoreContinueEqualsUninterruptedRun() throws Exception {
    for (long at : new long[] {1, run.finalIcount / 3, run.finalIcount / 2 + 12345, run.finalIcount - 10}) {
      ReplayLogReader reader = new ReplayLogReader(new ByteArrayInputStream(run.log));
      Machine first = Machine.boot(run.image, RecordedRun.config(), new ReplayPort(reader, OutputHandler.NONE));
      Replayer.Result head = new Replayer(first, reader).run(at);
      assertEquals(Replayer.Status.LIMIT, head.status());
      assertEquals(at, first.icount());
      ByteArrayOutputStream snap = new ByteArrayOutputStream();
      first.snapshot(new DataOutputStream(snap));

      Machine second = Machine.restore(new DataInputStream(new ByteArrayInputStream(snap.toByteArray())),
          new ReplayPort(reader, OutputHandler.NONE));
      assertEquals(at, second.icount());
      assertEquals(first.stateHash(), second.stateHash());
      Replayer.Result tail = new Replayer(second, reader).run(Long.MAX_VALUE);
      assertEquals(Replayer.Status.HALTED, tail.status());
      assertEquals(run.finalHash, second.stateHash(), "continued from icount " + at);
      assertEquals(run.finalIcount, second.icount());
    }
  }

  @Test
  void portSwapTurnsAReplayIntoARecording() throws Exception {
    // a backup going live: replay up to an icount, then record from the same machine onwards
    ReplayLogReader reader = new ReplayLogReader(new ByteArrayInputStream(run.log));
    Machine m = Machine.boot(run.image, RecordedRun.config(), new ReplayPort(reader, OutputHandler.NONE));
    new Replayer(m, reader).run(run.finalIcount / 2);
    StringBuilder console = new StringBuilder();
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    Recorder recorder = new Recorder(m, new SteppingClock(5), random::nextInt, e -> {}, null,
        e -> console.append((char) e.payload()[0]), Long.MAX_VALUE);
    assertEquals(Recorder.Outcome.HALTED, recorder.run(RecordedRun.ICOUNT_MAX));
    assertEquals(0, m.exitCode());
    assertTrue(console.toString().contains("digest="), console.toString());
  }
}
