package dev.lockstep.ftvm.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.machine.RunStatus;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.HostDisk;
import dev.lockstep.ftvm.node.host.Recorder;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.EventSource;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.replay.ReplayPort;
import dev.lockstep.ftvm.replay.Replayer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chaos guest on the machine with a busy simulated host: it finishes, and its digest is a function of its inputs. */
class ChaosGuestTest {
  private static final int ITERATIONS = 500;
  private static final long DISK_SECTORS = 2048;
  private static final long PACKETS = 400;
  private static final long PACKET_INTERVAL_US = 300;
  private static final long INSTRUCTIONS_MAX = 400_000_000;
  private static final long EVENTS_MIN = 2000;
  private static final int RECORDED_PACKETS = 50;
  private static final int ECHO_MAGIC = 0x4F414843;
  private static final Pattern SUMMARY = Pattern.compile("chaos: digest=([0-9a-f]{16}) iterations=(\\d+) ticks=(\\d+)"
      + " packets=(\\d+) disk_ops=(\\d+) disk_errors=(\\d+) disk_mismatches=(\\d+)\n");

  private record Outcome(SimHost host, Matcher summary) {
    long field(int group) {
      return Long.parseLong(summary.group(group));
    }
  }

  private static byte[] image() {
    return Guests.withParameter(Guests.load("chaos"), Guests.CHAOS_ITERATIONS, ITERATIONS);
  }

  private static Outcome run(long seed, long diskSectors, long packets) throws ElfException {
    SimHost host = new SimHost(image(), diskSectors, seed);
    host.schedulePackets(packets, PACKET_INTERVAL_US);
    assertEquals(RunStatus.HALTED, host.run(INSTRUCTIONS_MAX), host.console());
    assertEquals(0, host.machine.exitCode(), host.console());
    String[] lines = host.console().split("(?<=\n)");
    assertEquals("chaos: iterations=" + ITERATIONS + " disk_sectors=" + diskSectors + "\n", lines[0]);
    Matcher m = SUMMARY.matcher(lines[lines.length - 1]);
    assertTrue(m.matches(), host.console());
    return new Outcome(host, m);
  }

  @Test
  void usesEveryDeviceAndEchoesEveryPacket() throws ElfException {
    Outcome o = run(11, DISK_SECTORS, PACKETS);
    long events = o.host.syncEvents() + o.host.asyncEvents();
    System.out.println(o.summary.group(0).trim() + " sync_events=" + o.host.syncEvents() + " async_events=" + o.host.asyncEvents() + " icount=" + o.host.machine.icount());
    assertTrue(events >= EVENTS_MIN, events + " events");
    assertTrue(o.field(3) > 100, "ticks " + o.field(3));
    assertTrue(o.field(4) > 0, "packets " + o.field(4));
    assertEquals((ITERATIONS + 15) / 16 * 3, o.field(5), "disk requests: write, read back, read elsewhere per round");
    assertEquals(0, o.field(6));
    List<byte[]> echoes = o.host.takeSent();
    assertEquals(o.field(4), echoes.size(), "one echo per packet received");
    for (int i = 0; i < echoes.size(); i++) {
      ByteBuffer b = ByteBuffer.wrap(echoes.get(i)).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(ECHO_MAGIC, b.getInt(0));
      assertEquals(i + 1, b.getInt(4), "echo numbers count packets");
    }
  }

  @Test
  void sameInputsGiveTheSameRunAndOtherInputsAnotherDigest() throws ElfException {
    Outcome a = run(21, DISK_SECTORS, PACKETS);
    Outcome b = run(21, DISK_SECTORS, PACKETS);
    assertEquals(a.host.console(), b.host.console());
    assertEquals(a.host.machine.icount(), b.host.machine.icount());
    assertEquals(a.host.machine.stateHash(), b.host.machine.stateHash());
    Outcome c = run(22, DISK_SECTORS, PACKETS);
    assertNotEquals(a.summary.group(1), c.summary.group(1));
  }

  @Test
  void replaysBitExactlyFromItsLog() throws ElfException {
    Outcome recorded = run(41, DISK_SECTORS, PACKETS);
    List<Event> log = recorded.host.log();
    assertTrue(log.size() >= EVENTS_MIN, log.size() + " events");
    EventSource.OfList source = EventSource.of(log);
    StringBuilder console = new StringBuilder();
    ReplayPort port = new ReplayPort(source, e -> {
      if (e.kind() == EventKind.CONSOLE_OUT) {
        console.append((char) e.payload()[0]);
      }
    });
    Machine replay = Machine.boot(image(), MachineConfig.builder().diskSectors(DISK_SECTORS).build(), port);
    while (!replay.halted()) {
      Event next = nextAsync(log, source);
      if (next == null) {
        assertEquals(RunStatus.HALTED, replay.run(INSTRUCTIONS_MAX));
        break;
      }
      while (replay.icount() < next.icount()) {
        replay.run(next.icount());
      }
      assertEquals(next, source.take(), "the async event is next in the log");
      replay.deliver(next);
    }
    assertEquals(null, source.peek(), "every logged event was used");
    assertEquals(recorded.host.console(), console.toString());
    assertEquals(recorded.host.machine.icount(), replay.icount());
    assertEquals(recorded.host.machine.stateHash(), replay.stateHash());
  }

  @Test
  void recordsInRealTimeWithTheRecorderAndReplaysWithTheReplayer(@TempDir Path dir) throws Exception {
    List<Event> log = new ArrayList<>();
    StringBuilder recordedConsole = new StringBuilder();
    MachineConfig config = MachineConfig.builder().diskSectors(DISK_SECTORS).build();
    Machine recorded = Machine.boot(image(), config, HostPort.UNATTACHED);
    java.security.SecureRandom random = new java.security.SecureRandom();
    try (HostDisk disk = HostDisk.open(dir.resolve("chaos.disk"), DISK_SECTORS)) {
      Recorder recorder = new Recorder(recorded, HostClock.SYSTEM, random::nextInt, log::add, disk,
          consoleTo(recordedConsole), Long.MAX_VALUE);
      for (int i = 0; i < RECORDED_PACKETS; i++) {
        assertTrue(recorder.offerPacket(new byte[] {(byte) i, 1, 2, 3}));
      }
      assertEquals(Recorder.Outcome.HALTED, recorder.run(INSTRUCTIONS_MAX), recordedConsole.toString());
    }
    assertEquals(0, recorded.exitCode(), recordedConsole.toString());
    assertTrue(log.size() >= EVENTS_MIN, log.size() + " events");
    assertTrue(recordedConsole.toString().contains(" packets=" + RECORDED_PACKETS + " "), recordedConsole.toString());

    EventSource source = EventSource.of(log);
    StringBuilder replayedConsole = new StringBuilder();
    Machine replayed = Machine.boot(image(), config, new ReplayPort(source, consoleTo(replayedConsole)));
    Replayer.Result result = new Replayer(replayed, source).run(Long.MAX_VALUE);
    assertEquals(Replayer.Status.HALTED, result.status());
    assertEquals(1, result.hashesVerified(), "the final state hash was checked");
    assertEquals(recorded.icount(), result.icount());
    assertEquals(recordedConsole.toString(), replayedConsole.toString());
    assertEquals(recorded.stateHash(), replayed.stateHash());
  }

  private static OutputHandler consoleTo(StringBuilder console) {
    return e -> {
      if (e.kind() == EventKind.CONSOLE_OUT) {
        console.append((char) e.payload()[0]);
      }
    };
  }

  @Test
  void finishesWithNoPacketsAndNoDisk() throws ElfException {
    Outcome o = run(31, 0, 0);
    assertEquals(0, o.field(4));
    assertEquals(0, o.field(5));
    assertTrue(o.field(3) > 100, "the timer still ticks: " + o.field(3));
  }

  /** The next asynchronous event of the log at or after the source's position, without consuming it. */
  private static Event nextAsync(List<Event> log, EventSource.OfList source) {
    for (int i = source.position(); i < log.size(); i++) {
      if (log.get(i).kind().isAsync()) {
        return log.get(i);
      }
    }
    return null;
  }
}
