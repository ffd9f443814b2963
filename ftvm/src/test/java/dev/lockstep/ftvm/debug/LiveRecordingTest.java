package dev.lockstep.ftvm.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.replay.EventSource;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.replay.ReplayPort;
import dev.lockstep.ftvm.replay.Replayer;
import dev.lockstep.ftvm.rewind.Rewinder;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A rewinder over a recording that goes on as seeks ask for more: every position is the recorded one. */
class LiveRecordingTest {
  private static final long INTERVAL = 100_000;

  private static Machine boot() throws IOException, ElfException {
    try (InputStream in = LiveRecordingTest.class.getResourceAsStream("/guests/chaos.elf")) {
      assertTrue(in != null, "guests/chaos.elf is not on the classpath (ftvm/guests/build.sh)");
      return Machine.boot(in.readAllBytes(), MachineConfig.defaults(), HostPort.UNATTACHED);
    }
  }

  /** The state hash a straight replay of the recording so far reaches at {@code icount}. */
  private static long straight(LiveRecording live, long icount) throws Exception {
    EventSource.OfList source = EventSource.of(live.events());
    Machine m = boot();
    m.setPort(new ReplayPort(source, OutputHandler.NONE));
    new Replayer(m, source).run(icount);
    assertEquals(icount, m.icount());
    return m.stateHash();
  }

  @Test
  void seeksPastTheFrontierRecordOnAndSeeksBackReplayWhatWasRecorded() throws Exception {
    Machine frontier = boot();
    LiveRecording live = new LiveRecording(frontier, HostClock.SYSTEM, new SplittableRandom(15)::nextInt,
        OutputHandler.NONE, 10_000_000);
    Rewinder w = new Rewinder(boot(), live, INTERVAL);
    assertEquals(0, frontier.icount(), "nothing is recorded before it is asked for");
    assertEquals(1_500_000, w.seek(1_500_000));
    assertEquals(1_500_001, frontier.icount(), "recorded as far as the seek went, and the instruction there");
    long at1500k = w.machine().stateHash();
    assertEquals(700_000, w.seek(700_000));
    long at700k = w.machine().stateHash();
    assertEquals(2_000_000, w.seek(2_000_000), "past the frontier again: recorded on");
    assertEquals(2_000_001, frontier.icount());
    assertEquals(straight(live, 700_000), at700k, "every position is the one a straight replay of the recording reaches");
    assertEquals(straight(live, 1_500_000), at1500k);
  }

  @Test
  void theRecordingStopsAtItsBound() throws Exception {
    LiveRecording live = new LiveRecording(boot(), HostClock.SYSTEM, new SplittableRandom(15)::nextInt,
        OutputHandler.NONE, 300_000);
    Rewinder w = new Rewinder(boot(), live, INTERVAL);
    long reached = w.seek(1_000_000);
    assertTrue(live.ended(), "the bound ends the recording");
    assertTrue(reached >= 300_000 && reached < 1_000_000, "stopped at the bound: " + reached);
  }
}
