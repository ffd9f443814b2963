package dev.lockstep.ftvm.cli;

import dev.lockstep.ftvm.debug.DebugSession;
import dev.lockstep.ftvm.debug.GdbServer;
import dev.lockstep.ftvm.debug.LiveRecording;
import dev.lockstep.ftvm.machine.GuestFault;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.ReplayLogException;
import dev.lockstep.ftvm.replay.ReplayLogHeader;
import dev.lockstep.ftvm.replay.ReplayLogReader;
import dev.lockstep.ftvm.rewind.Rewinder;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockstep machine debug}: a GDB server over a recorded execution, with reverse execution. */
@Command(
    name = "debug",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a recorded execution of a guest to gdb (gdb-multiarch: 'target remote :PORT' with the guest ELF's",
      "symbols): registers, memory, breakpoints, watchpoints (watch/rwatch/awatch), step, continue, reverse-step",
      "and reverse-continue (bs/bc), 'monitor icount', 'monitor seek N'. With LOG (from 'lockstep machine run",
      "--record'), that log; without, the guest is recorded as gdb drives it forward (its console on stdout), up",
      "to --record-instructions, and reverse execution reaches everything executed so far. Going back restores",
      "an in-memory snapshot (one every",
      "--snapshot-interval instructions) and re-executes from the log. A register or memory write ends the",
      "replay's guarantee (said on gdb's console and here): stepping and continuing then run the edited guest on",
      "the log's inputs unchecked; a seek or reverse motion returns to the recorded execution and drops the writes.",
      "Listens on 127.0.0.1 only, for one debugger; exits when it detaches."
    },
    footer = ExitCodes.HELP_FOOTER)
public final class MachineDebugCommand implements Callable<Integer> {
  /** Events read from a log at most. */
  static final int EVENTS_MAX = 20_000_000;

  @Parameters(arity = "0..2", paramLabel = "GUEST.elf [LOG]", description = "The guest image (unless --guest) and, optionally, a replay log.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--guest", paramLabel = "NAME", description = "The bundled guest NAME instead of GUEST.elf.")
  String guestName;

  @Option(names = "--port", paramLabel = "P", description = "TCP port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free port, printed).")
  int port = 1234;

  @Option(names = "--snapshot-interval", paramLabel = "N", description = "Instructions between in-memory snapshots (default: ${DEFAULT-VALUE}).")
  long snapshotInterval = Rewinder.SNAPSHOT_INTERVAL_DEFAULT;

  @Option(names = "--record-instructions", paramLabel = "N", description = "Without LOG: the most instructions recorded (default: ${DEFAULT-VALUE}).")
  long recordInstructions = 1_000_000_000L;

  @Override
  public Integer call() {
    try {
      return execute();
    } catch (CliFailure f) {
      System.err.println("lockstep machine debug: " + f.getMessage());
      return f.exitCode;
    }
  }

  private int execute() throws CliFailure {
    int images = guestName == null ? 1 : 0;
    if (files.size() < images || files.size() > images + 1) {
      throw new CliFailure(ExitCodes.USAGE, "expected GUEST.elf [LOG], or --guest NAME [LOG]");
    }
    if (snapshotInterval <= 0 || recordInstructions <= 0 || port < 0 || port > 65535) {
      throw new CliFailure(ExitCodes.USAGE, "--snapshot-interval and --record-instructions must be positive, --port in [0, 65535]");
    }
    Path guestPath = guestName == null ? files.get(0) : null;
    Path logPath = files.size() > images ? files.get(files.size() - 1) : null;
    byte[] image = GuestImages.load(guestPath, guestName);
    String guest = guestPath != null ? guestPath.toString() : "guest " + guestName;
    Rewinder.Recording recording;
    MachineConfig config = MachineConfig.defaults();
    if (logPath != null) {
      List<Event> events = new ArrayList<>();
      config = readLog(logPath, image, guest, events);
      recording = Rewinder.Recording.of(events);
    } else {
      SecureRandom random = new SecureRandom();
      recording = new LiveRecording(MachineRunCommand.boot(image, config, HostPort.UNATTACHED, guest), HostClock.SYSTEM,
          random::nextInt, e -> {
            if (e.kind() == EventKind.CONSOLE_OUT) {
              System.out.write(e.payload(), 0, e.payload().length);
              System.out.flush();
            }
          }, recordInstructions);
    }
    Machine start = MachineRunCommand.boot(image, config, HostPort.UNATTACHED, guest);
    DebugSession session = new DebugSession(new Rewinder(start, recording, snapshotInterval), snapshotInterval);
    try (GdbServer server = new GdbServer(session, port, System.err)) {
      System.err.println("lockstep machine debug: " + (logPath != null ? recording.events().size() + " events"
          : "recording " + guest + " as gdb runs it") + "; gdb-multiarch -x scripts/lockstep.gdb " + guest
          + " -ex 'target remote 127.0.0.1:" + server.port() + "'");
      server.serveOne();
      return 0;
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, "gdb server on port " + port + ": " + e.getMessage());
    } catch (GuestFault e) {
      throw new CliFailure(ExitCodes.GUEST_FAULT, "guest fault: " + e.getMessage());
    }
  }

  private static MachineConfig readLog(Path logPath, byte[] image, String guest, List<Event> events) throws CliFailure {
    try (ReplayLogReader log = ReplayLogReader.open(logPath)) {
      ReplayLogHeader header = log.header();
      if (!header.matchesImage(image)) {
        throw new CliFailure(ExitCodes.USAGE, logPath + " was recorded with another guest image (sha256 "
            + header.imageHex() + "), not " + guest);
      }
      for (Event e = log.take(); e != null && events.size() < EVENTS_MAX; e = log.take()) {
        events.add(e);
      }
      return MachineConfig.builder().ramBytes(header.ramBytes()).diskSectors(header.diskSectors()).build();
    } catch (NoSuchFileException e) {
      throw new CliFailure(ExitCodes.USAGE, logPath + ": no such file");
    } catch (IOException | ReplayLogException e) {
      throw new CliFailure(ExitCodes.USAGE, logPath + ": cannot read (" + e.getMessage() + ")");
    }
  }
}
