package dev.lockstep.ftvm.cli;

import dev.lockstep.ftvm.machine.GuestFault;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.replay.ReplayDivergence;
import dev.lockstep.ftvm.replay.ReplayLogException;
import dev.lockstep.ftvm.replay.ReplayLogHeader;
import dev.lockstep.ftvm.replay.ReplayLogReader;
import dev.lockstep.ftvm.replay.ReplayPort;
import dev.lockstep.ftvm.replay.Replayer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockstep machine replay}: re-executes a recorded run and verifies it. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Re-execute a run recorded with 'lockstep machine run --record LOG' from its log: same console output (to stdout), same outputs, same state hashes, same exit code; or report the first icount where it differs (exit 251).",
    footer = ExitCodes.HELP_FOOTER)
public final class MachineReplayCommand implements Callable<Integer> {
  @Parameters(arity = "1..2", paramLabel = "GUEST.elf LOG", description = "The guest image (unless --guest) and the replay log.")
  List<Path> files;

  @Option(names = "--guest", paramLabel = "NAME", description = "The bundled guest NAME instead of GUEST.elf.")
  String guestName;

  @Option(names = "--stats", description = "Print instructions=… seconds=… mips=… to stderr at the end.")
  boolean stats;

  @Option(names = "--trace", paramLabel = "FROM:TO", description = "As in 'machine run': one line to stderr per instruction retired with an icount in [FROM, TO).")
  String trace;

  @Override
  public Integer call() {
    try {
      return execute();
    } catch (CliFailure f) {
      System.err.println("lockstep machine replay: " + f.getMessage());
      return f.exitCode;
    }
  }

  private int execute() throws CliFailure {
    if (files.size() != (guestName == null ? 2 : 1)) {
      throw new CliFailure(ExitCodes.USAGE, "expected GUEST.elf LOG, or --guest NAME LOG");
    }
    long[] window = trace == null ? null : TraceWindow.parse(trace, MachineRunCommand.TRACE_INSTRUCTIONS_MAX);
    Path guestPath = guestName == null ? files.get(0) : null;
    Path logPath = files.get(files.size() - 1);
    byte[] image = GuestImages.load(guestPath, guestName);
    String guest = guestPath != null ? guestPath.toString() : "guest " + guestName;
    ConsoleOutput console = new ConsoleOutput(new BufferedOutputStream(System.out, 1 << 14));
    try (ReplayLogReader log = ReplayLogReader.open(logPath)) {
      ReplayLogHeader header = log.header();
      if (!header.matchesImage(image)) {
        throw new CliFailure(ExitCodes.USAGE, logPath + " was recorded with another guest image (sha256 "
            + header.imageHex() + "), not " + guest);
      }
      MachineConfig config = MachineConfig.builder().ramBytes(header.ramBytes()).diskSectors(header.diskSectors()).build();
      Machine machine = MachineRunCommand.boot(image, config, new ReplayPort(log, console), guest);
      PrintStream traceOut = new PrintStream(new BufferedOutputStream(System.err, 1 << 16), false);
      if (window != null) {
        machine.trace(window[0], window[1], TraceWindow.printer(machine, traceOut));
      }
      long start = System.nanoTime();
      Replayer.Result r;
      try {
        r = new Replayer(machine, log).run(Long.MAX_VALUE);
      } finally {
        console.flush();
        traceOut.flush();
        if (stats) {
          MachineRunCommand.printStats(System.err, machine.icount(), System.nanoTime() - start);
        }
      }
      return outcome(r, logPath, machine);
    } catch (NoSuchFileException e) {
      throw new CliFailure(ExitCodes.USAGE, logPath + ": no such file");
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, logPath + ": cannot read (" + e.getMessage() + ")");
    } catch (ReplayLogException e) {
      throw new CliFailure(ExitCodes.USAGE, logPath + ": " + e.getMessage());
    } catch (ReplayDivergence e) {
      throw new CliFailure(ExitCodes.DIVERGED, e.getMessage());
    } catch (IllegalArgumentException e) {
      // a logged asynchronous event the machine cannot accept: the log does not fit this execution
      throw new CliFailure(ExitCodes.DIVERGED, "replay diverged: " + e.getMessage());
    } catch (GuestFault fault) {
      throw new CliFailure(ExitCodes.GUEST_FAULT, "guest fault: " + fault.getMessage());
    }
  }

  private static int outcome(Replayer.Result r, Path logPath, Machine machine) throws CliFailure {
    String summary = "replay verified: " + r.eventsApplied() + " events, " + r.hashesVerified()
        + " state hashes, final icount " + r.icount();
    switch (r.status()) {
      case HALTED:
        System.err.println(summary);
        return r.exitCode() & 0xFF;
      case SHUTDOWN:
        System.err.println(summary + "; the recorded run was stopped before the guest halted (pc 0x"
            + Integer.toHexString(machine.pc()) + ")");
        return 0;
      default:
        throw new CliFailure(ExitCodes.USAGE, logPath + " ends at icount " + r.icount()
            + " without HALT or SHUTDOWN: the recording is incomplete");
    }
  }
}
