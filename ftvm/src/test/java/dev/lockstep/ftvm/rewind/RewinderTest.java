package dev.lockstep.ftvm.rewind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.host.Recorder;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventSource;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.replay.ReplayPort;
import dev.lockstep.ftvm.replay.Replayer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every position a rewinder reaches, forwards or backwards, is the one a straight replay reaches. */
class RewinderTest {
  private static final long RECORDED = 3_000_000;
  private static final long INTERVAL = 250_000;
  private static byte[] image;
  private static final List<Event> LOG = new ArrayList<>();

  @BeforeAll
  static void record() throws IOException, ElfException {
    try (InputStream in = RewinderTest.class.getResourceAsStream("/guests/chaos.elf")) {
      assertTrue(in != null, "guests/chaos.elf is not on the classpath (ftvm/guests/build.sh)");
      image = in.readAllBytes();
    }
    Machine m = Machine.boot(image, MachineConfig.defaults(), HostPort.UNATTACHED);
    SplittableRandom random = new SplittableRandom(15);
    Recorder r = new Recorder(m, HostClock.SYSTEM, random::nextInt, LOG::add, null, OutputHandler.NONE, 100_000);
    r.run(RECORDED);
    r.finish();
  }

  private static Machine boot() {
    try {
      return Machine.boot(image, MachineConfig.defaults(), HostPort.UNATTACHED);
    } catch (ElfException e) {
      throw new AssertionError(e);
    }
  }

  /** The state hash a replay from boot straight to {@code icount} reaches. */
  private static long straight(long icount) {
    EventSource.OfList source = EventSource.of(LOG);
    Machine m = boot();
    m.setPort(new ReplayPort(source, OutputHandler.NONE));
    new Replayer(m, source).run(icount);
    assertEquals(icount, m.icount());
    return m.stateHash();
  }

  @Test
  void seeksForwardAndBackToTheStatesAStraightReplayReaches() {
    Rewinder w = new Rewinder(boot(), LOG, INTERVAL);
    assertEquals(2_600_000, w.seek(2_600_000));
    assertEquals(straight(2_600_000), w.machine().stateHash());
    assertTrue(w.snapshots() >= 2_600_000 / INTERVAL, "snapshots kept: " + w.snapshots());
    assertEquals(1_234_567, w.seek(1_234_567));
    assertEquals(straight(1_234_567), w.machine().stateHash());
    assertEquals(1_000_000, w.seek(1_000_000));
    assertEquals(straight(1_000_000), w.machine().stateHash());
    w.seek(0);
    assertEquals(2_100_001, w.seek(2_100_001), "forwards past kept snapshots: from the nearest one");
    assertEquals(straight(2_100_001), w.machine().stateHash());
  }

  @Test
  void reverseStepLandsOneInstructionBack() {
    Rewinder w = new Rewinder(boot(), LOG, INTERVAL);
    w.seek(1_500_001);
    assertTrue(w.reverseStep());
    assertEquals(1_500_000, w.icount());
    assertEquals(straight(1_500_000), w.machine().stateHash());
    assertTrue(w.reverseStep());
    assertEquals(straight(1_499_999), w.machine().stateHash());
    w.seek(0);
    assertFalse(w.reverseStep(), "no step back before the log's start");
  }

  @Test
  void aSeekToTheIcountOfAClockReadStopsBeforeTheRead() {
    Event read = LOG.stream().filter(e -> e.kind().isSync() && e.icount() > 100_000).findFirst().orElseThrow();
    Rewinder w = new Rewinder(boot(), LOG, INTERVAL);
    assertEquals(read.icount(), w.seek(read.icount()), "stopped at the read, not after it");
    assertEquals(straight(read.icount()), w.machine().stateHash());
    w.seek(read.icount() + 1);
    assertTrue(w.reverseStep());
    assertEquals(read.icount(), w.icount());
  }

  @Test
  void aSeekPastTheLogStopsWhereItEnds() {
    Rewinder w = new Rewinder(boot(), LOG, INTERVAL);
    long end = w.seek(Long.MAX_VALUE);
    assertTrue(end >= RECORDED && end < RECORDED + 1_000_000, "stopped at " + end);
    assertThrows(IllegalArgumentException.class, () -> new Rewinder(boot(), LOG, 0));
  }
}
