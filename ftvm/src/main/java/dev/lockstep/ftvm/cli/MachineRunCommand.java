package dev.lockstep.ftvm.cli;

import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.GuestFault;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.HostDisk;
import dev.lockstep.ftvm.node.host.Recorder;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.EventSink;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.replay.ReplayLogHeader;
import dev.lockstep.ftvm.replay.ReplayLogWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockstep machine run}: runs a guest until it halts, printing its console to stdout. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run a guest until it writes its exit code to tohost; exit with that code. The guest's console goes to stdout. With --record, every nondeterministic input and every output is logged with its icount so 'lockstep machine replay' can re-execute it exactly.",
    footer = ExitCodes.HELP_FOOTER)
public final class MachineRunCommand implements Callable<Integer> {
  /** Sectors of a disk file created by --disk when it does not exist: 1 MiB. */
  public static final long DISK_SECTORS_DEFAULT = 2048;
  /** Longest wait for the machine thread to stop after the script. */
  static final long SCRIPT_STOP_SECONDS_MAX = 10;
  /** Longest --trace window, in instructions: a trace line per instruction is ~60 bytes. */
  static final long TRACE_INSTRUCTIONS_MAX = 50_000_000;

  @Parameters(index = "0", arity = "0..1", paramLabel = "GUEST.elf", description = "RV32IM ELF image linked at 0x80000000.")
  Path guestPath;

  @Option(names = "--guest", paramLabel = "NAME", description = "Run the bundled guest NAME (kv, append, chaos, cpubench, …).")
  String guestName;

  @Option(names = "--record", paramLabel = "LOG", description = "Write a replay log to LOG.")
  Path record;

  @Option(names = "--max-instructions", paramLabel = "N", description = "Stop with exit code 252 after N instructions.")
  long maxInstructions = Long.MAX_VALUE;

  @Option(names = "--stats", description = "Print instructions=… seconds=… mips=… to stderr at the end.")
  boolean stats;

  @Option(names = "--disk", paramLabel = "FILE", description = "Back the disk with FILE (created when missing).")
  Path disk;

  @Option(names = "--disk-sectors", paramLabel = "N", description = "Size of a disk file created by --disk (default: ${DEFAULT-VALUE}).")
  long diskSectors = DISK_SECTORS_DEFAULT;

  @Option(names = "--script", description = "Drive a kv guest with a scripted client exchange (write, read, cas, a retried request, a second client), print each reply and stop: exit 0 when every reply is as expected, 1 otherwise.")
  boolean script;

  @Option(names = "--trace", paramLabel = "FROM:TO", description = "Print one line to stderr for every instruction retired with an icount in [FROM, TO): icount, pc, word, the instruction disassembled and the register it wrote with its new value. At most " + TRACE_INSTRUCTIONS_MAX + " instructions.")
  String trace;

  @Option(names = "--ram-mib", paramLabel = "N", description = "RAM size in MiB (default: ${DEFAULT-VALUE}).")
  int ramMib = MachineConfig.RAM_BYTES_DEFAULT >> 20;

  @Override
  public Integer call() {
    try {
      return execute();
    } catch (CliFailure f) {
      System.err.println("lockstep machine run: " + f.getMessage());
      return f.exitCode;
    }
  }

  private int execute() throws CliFailure {
    if (maxInstructions <= 0) {
      throw new CliFailure(ExitCodes.USAGE, "--max-instructions must be positive, got " + maxInstructions);
    }
    long[] window = trace == null ? null : TraceWindow.parse(trace, TRACE_INSTRUCTIONS_MAX);
    byte[] image = GuestImages.load(guestPath, guestName);
    String guest = guestPath != null ? guestPath.toString() : "guest " + guestName;
    HostDisk backend = openDisk();
    MachineConfig config = config(backend);
    ConsoleOutput console = new ConsoleOutput(new BufferedOutputStream(System.out, 1 << 14));
    BlockingQueue<byte[]> sent = new ArrayBlockingQueue<>(Recorder.packetsMax());
    OutputHandler outputs = e -> {
      console.onOutput(e);
      if (script && e.kind() == EventKind.NIC_TX) {
        sent.offer(e.payload());
      }
    };
    SecureRandom random = new SecureRandom();
    try (ReplayLogWriter log = openLog(config, image)) {
      EventSink sink = log != null ? log : e -> {};
      Machine machine = boot(image, config, HostPort.UNATTACHED, guest);
      PrintStream traceOut = new PrintStream(new BufferedOutputStream(System.err, 1 << 16), false);
      if (window != null) {
        machine.trace(window[0], window[1], TraceWindow.printer(machine, traceOut));
      }
      Recorder recorder = new Recorder(machine, HostClock.SYSTEM, random::nextInt, sink, backend, outputs, Long.MAX_VALUE);
      long start = System.nanoTime();
      Recorder.Outcome outcome;
      try {
        if (script) {
          boolean ok = runScript(recorder, sent, console);
          recorder.finish();
          return ok ? 0 : 1;
        }
        outcome = recorder.run(maxInstructions);
      } catch (GuestFault fault) {
        console.flush();
        throw new CliFailure(ExitCodes.GUEST_FAULT, "guest fault: " + fault.getMessage());
      } finally {
        console.flush();
        traceOut.flush();
        printStats(machine.icount(), System.nanoTime() - start);
      }
      if (outcome != Recorder.Outcome.HALTED) {
        recorder.finish();
        throw new CliFailure(ExitCodes.INSTRUCTION_LIMIT, "guest did not halt within " + maxInstructions
            + " instructions (--max-instructions); stopped at pc 0x" + Integer.toHexString(machine.pc()));
      }
      return machine.exitCode() & 0xFF;
    } catch (IOException | UncheckedIOException e) {
      throw new CliFailure(ExitCodes.USAGE, "I/O error: " + e.getMessage());
    } finally {
      closeDisk(backend);
    }
  }

  /** Runs the machine on its own thread while the script talks to it; stops it afterwards. */
  private boolean runScript(Recorder recorder, BlockingQueue<byte[]> sent, ConsoleOutput console) throws CliFailure {
    CompletableFuture<Recorder.Outcome> run = CompletableFuture.supplyAsync(() -> recorder.run(maxInstructions));
    try {
      boolean ok = KvScript.run(recorder, sent, System.out);
      recorder.requestShutdown();
      Recorder.Outcome outcome = run.get(SCRIPT_STOP_SECONDS_MAX, TimeUnit.SECONDS);
      console.flush();
      if (outcome == Recorder.Outcome.LIMIT) {
        throw new CliFailure(ExitCodes.INSTRUCTION_LIMIT, "guest reached --max-instructions during the script");
      }
      return ok && outcome == Recorder.Outcome.SHUTDOWN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      recorder.requestShutdown();
      throw new CliFailure(ExitCodes.USAGE, "interrupted");
    } catch (TimeoutException e) {
      throw new CliFailure(ExitCodes.USAGE, "the machine did not stop within " + SCRIPT_STOP_SECONDS_MAX + " s");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GuestFault fault) {
        throw new CliFailure(ExitCodes.GUEST_FAULT, "guest fault: " + fault.getMessage());
      }
      throw new IllegalStateException("machine thread failed", e.getCause());
    }
  }

  private HostDisk openDisk() throws CliFailure {
    if (disk == null) {
      return null;
    }
    try {
      return HostDisk.open(disk, diskSectors);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, disk + ": cannot open disk file (" + e.getMessage() + ")");
    }
  }

  private static void closeDisk(HostDisk backend) {
    if (backend != null) {
      try {
        backend.close();
      } catch (IOException ignored) {
        // the run's result stands; a failing close of a file we only wrote through is reported nowhere
      }
    }
  }

  private MachineConfig config(HostDisk backend) throws CliFailure {
    try {
      return MachineConfig.builder().ramMib(ramMib).diskPath(disk)
          .diskSectors(backend == null ? 0 : backend.sectors()).build();
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, "--ram-mib: " + e.getMessage());
    }
  }

  private ReplayLogWriter openLog(MachineConfig config, byte[] image) throws CliFailure {
    if (record == null) {
      return null;
    }
    try {
      return ReplayLogWriter.create(record, ReplayLogHeader.of(config.ramBytes(), config.diskSectors(), image));
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, record + ": cannot create replay log (" + e.getMessage() + ")");
    }
  }

  static Machine boot(byte[] image, MachineConfig config, dev.lockstep.ftvm.replay.HostPort port, String guest)
      throws CliFailure {
    try {
      return Machine.boot(image, config, port);
    } catch (ElfException e) {
      throw new CliFailure(ExitCodes.USAGE, guest + ": " + e.getMessage());
    }
  }

  private void printStats(long instructions, long nanos) {
    if (stats) {
      printStats(System.err, instructions, nanos);
    }
  }

  static void printStats(PrintStream err, long instructions, long nanos) {
    double seconds = nanos / 1e9;
    err.printf("instructions=%d%nseconds=%.3f%nmips=%.1f%n", instructions, seconds,
        seconds > 0 ? instructions / seconds / 1e6 : 0.0);
  }
}
