package dev.lockstep.ftvm.replay;

import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.GuestBuilder;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostDisk;
import dev.lockstep.ftvm.node.host.Recorder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A recording of the replay-test guest with a seeded host, and helpers to replay it. */
final class RecordedRun {
  static final long DISK_SECTORS = 64;
  /** Instructions between two injected packets. */
  static final long PACKET_EVERY_INSTRUCTIONS = 40_000;
  static final long ICOUNT_MAX = 200_000_000L;

  final byte[] image;
  final byte[] log;
  final String console;
  final List<Event> events;
  final long finalHash;
  final long finalIcount;
  final int exitCode;

  private RecordedRun(byte[] image, byte[] log, String console, List<Event> events, Machine m) {
    this.image = image;
    this.log = log;
    this.console = console;
    this.events = events;
    this.finalHash = m.stateHash();
    this.finalIcount = m.icount();
    this.exitCode = m.exitCode();
  }

  static byte[] guest() {
    try (InputStream in = RecordedRun.class.getResourceAsStream("/machine/replaytest.c")) {
      return GuestBuilder.c(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MachineConfig config() {
    return MachineConfig.builder().diskSectors(DISK_SECTORS).build();
  }

  /** Records the guest with host randomness and packets drawn from {@code seed}. */
  static RecordedRun record(long seed, Path disk) throws IOException, ElfException {
    byte[] image = guest();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Event> events = new ArrayList<>();
    StringBuilder console = new StringBuilder();
    SplittableRandom random = new SplittableRandom(seed);
    try (ReplayLogWriter writer = new ReplayLogWriter(bytes, ReplayLogHeader.of(config().ramBytes(), DISK_SECTORS, image));
        HostDisk backend = HostDisk.open(disk, DISK_SECTORS)) {
      EventSink sink = e -> {
        events.add(e);
        writer.append(e);
      };
      OutputHandler out = e -> {
        if (e.kind() == EventKind.CONSOLE_OUT) {
          console.append((char) e.payload()[0]);
        }
      };
      Machine m = Machine.boot(image, config(), HostPort.UNATTACHED);
      Recorder recorder = new Recorder(m, new SteppingClock(5), random::nextInt, sink, backend, out, Long.MAX_VALUE);
      SplittableRandom packets = new SplittableRandom(seed ^ 0x5EED);
      while (recorder.run(m.icount() + PACKET_EVERY_INSTRUCTIONS) != Recorder.Outcome.HALTED) {
        if (m.icount() >= ICOUNT_MAX) {
          throw new AssertionError("guest did not halt within " + ICOUNT_MAX);
        }
        byte[] p = new byte[1 + packets.nextInt(64)];
        packets.nextBytes(p);
        recorder.offerPacket(p);
      }
      writer.flush();
      return new RecordedRun(image, bytes.toByteArray(), console.toString(), events, m);
    }
  }

  long count(EventKind kind) {
    return events.stream().filter(e -> e.kind() == kind).count();
  }

  /** Replays a log against this run's image; returns the console output and the replayer's result. */
  static Replay replay(byte[] image, byte[] log) throws IOException, ElfException {
    ReplayLogReader reader = new ReplayLogReader(new ByteArrayInputStream(log));
    StringBuilder console = new StringBuilder();
    OutputHandler out = e -> {
      if (e.kind() == EventKind.CONSOLE_OUT) {
        console.append((char) e.payload()[0]);
      }
    };
    MachineConfig config = MachineConfig.builder().ramBytes(reader.header().ramBytes())
        .diskSectors(reader.header().diskSectors()).build();
    Machine m = Machine.boot(image, config, new ReplayPort(reader, out));
    Replayer.Result r = new Replayer(m, reader).run(Long.MAX_VALUE);
    return new Replay(r, console.toString(), m.stateHash());
  }

  record Replay(Replayer.Result result, String console, long hash) {}
}
