package dev.lockstep.ftvm.cli;

import dev.lockstep.ftvm.debug.DebugSession;
import dev.lockstep.ftvm.debug.GdbServer;
import dev.lockstep.ftvm.machine.GuestFault;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.host.Recorder;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.OutputHandler;
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
      "--record'), that log; without, the guest is first recorded alone for --record-instructions (or until it",
      "halts) and that recording is served. Going back restores an in-memory snapshot (one every",
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

  @Option(names = "--record-instructions", paramLabel = "N", description = "Without LOG: how long to record before serving (default: ${DEFAULT-VALUE}).")
  long recordInstructions = 20_000_000L;

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
    List<Event> events = new ArrayList<>();
    MachineConfig config = MachineConfig.defaults();
    if (logPath != null) {
      config = readLog(logPath, image, guest, events);
    } else {
      record(image, config, guest, events);
    }
    Machine start = MachineRunCommand.boot(image, config, HostPort.UNATTACHED, guest);
    DebugSession session = new DebugSession(new Rewinder(start, events, snapshotInterval), snapshotInterval);
    try (GdbServer server = new GdbServer(session, port, System.err)) {
      System.err.println("lockstep machine debug: " + events.size() + " events; gdb-multiarch " + guest
          + " -ex 'target remote 127.0.0.1:" + server.port() + "'");
      server.serveOne();
      return 0;
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, "gdb server on port " + port + ": " + e.getMessage());
    } catch (GuestFault e) {
      throw new CliFailure(ExitCodes.GUEST_FAULT, "guest fault: " + e.getMessage());
    }
  }

  private void record(byte[] image, MachineConfig config, String guest, List<Event> events) throws CliFailure {
    Machine m = MachineRunCommand.boot(image, config, HostPort.UNATTACHED, guest);
    SecureRandom random = new SecureRandom();
    Recorder r = new Recorder(m, HostClock.SYSTEM, random::nextInt, events::add, null, OutputHandler.NONE, Long.MAX_VALUE);
    try {
      r.run(recordInstructions);
      r.finish();
    } catch (GuestFault e) {
      throw new CliFailure(ExitCodes.GUEST_FAULT, "guest fault while recording: " + e.getMessage());
    }
    System.err.println("lockstep machine debug: recorded " + guest + " for " + m.icount() + " instructions"
        + (m.halted() ? " (it halted)" : ""));
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
