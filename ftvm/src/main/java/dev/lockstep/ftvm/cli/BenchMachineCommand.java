package dev.lockstep.ftvm.cli;

import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.rewind.Rewinder;
import dev.lockstep.ftvm.machine.GuestFault;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.replay.EventSink;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.host.Recorder;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.ReplayLogHeader;
import dev.lockstep.ftvm.replay.ReplayLogWriter;
import java.io.IOException;
import java.security.SecureRandom;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lockstep bench machine}: the interpreter's steady-state speed on the {@code cpubench} guest,
 * without and with recording to a replay log, as {@code mips=…}, {@code mips_recording=…} and
 * {@code recording_overhead_percent=…}.
 */
@Command(
    name = "machine",
    mixinStandardHelpOptions = true,
    description = "Measure the interpreter's steady-state speed on the cpubench guest (rebooted whenever it halts), plain and while recording a replay log. Prints name=value lines.")
public final class BenchMachineCommand implements Callable<Integer> {
  /** Instructions per measured chunk. */
  static final long CHUNK_INSTRUCTIONS = 20_000_000L;
  /** Length of one plain + one recording measurement round. */
  static final double ROUND_SECONDS = 1.0;

  @Option(names = "--warmup-seconds", description = "Warm-up seconds, split between the two modes (default: ${DEFAULT-VALUE}).")
  double warmupSeconds = 4;

  @Option(names = "--seconds", description = "Measured seconds, split between the two modes in alternating rounds (default: ${DEFAULT-VALUE}).")
  double seconds = 8;

  @Option(names = "--seek-instructions", paramLabel = "N", description = "seek_ms: how far into a recorded log to seek (default: ${DEFAULT-VALUE}; 0: no seek figures).")
  long seekInstructions = 100_000_000L;

  @Option(names = "--snapshot-interval", paramLabel = "N", description = "Instructions between the in-memory snapshots a seek keeps (default: ${DEFAULT-VALUE}).")
  long snapshotInterval = Rewinder.SNAPSHOT_INTERVAL_DEFAULT;

  @Option(names = "--guest", paramLabel = "NAME", description = "Bundled guest to run (default: ${DEFAULT-VALUE}).")
  String guest = "cpubench";

  @Override
  public Integer call() {
    if (warmupSeconds < 0 || seconds <= 0) {
      System.err.println("lockstep bench machine: --seconds must be positive and --warmup-seconds not negative");
      return ExitCodes.USAGE;
    }
    if (seekInstructions < 0 || snapshotInterval <= 0) {
      System.err.println("lockstep bench machine: --seek-instructions must not be negative and --snapshot-interval must be positive");
      return ExitCodes.USAGE;
    }
    byte[] image;
    String source;
    try (InputStream in = BenchMachineCommand.class.getResourceAsStream("/guests/" + guest + ".elf")) {
      image = in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      image = null;
    }
    if (image == null) {
      image = FallbackBenchProgram.elf();
      source = "builtin-hash-loop";
    } else {
      source = guest;
    }
    Path logFile = null;
    try {
      logFile = Files.createTempFile("lockstep-bench", ".replay");
      Run plain = new Run(image, null);
      Run recording = new Run(image, logFile);
      plain.runFor(warmupSeconds / 2, false);
      recording.runFor(warmupSeconds / 2, false);
      // alternate short rounds so that load from other processes hits both modes alike
      int rounds = Math.max(1, (int) Math.round(seconds / ROUND_SECONDS));
      for (int r = 0; r < rounds; r++) {
        plain.runFor(seconds / rounds / 2, true);
        recording.runFor(seconds / rounds / 2, true);
      }
      recording.close();
      System.out.println("guest=" + source);
      System.out.printf("mips=%.1f%n", plain.mips());
      System.out.printf("mips_recording=%.1f%n", recording.mips());
      // per CPU-second of the running thread: the interpreter's speed when other processes share the cores
      System.out.printf("mips_cpu=%.1f%n", plain.mipsCpu());
      System.out.printf("mips_recording_cpu=%.1f%n", recording.mipsCpu());
      System.out.printf("recording_overhead_percent=%.1f%n", (plain.mipsCpu() - recording.mipsCpu()) / plain.mipsCpu() * 100);
      if (seekInstructions > 0) {
        SeekBench.run(image, seekInstructions, snapshotInterval, System.out);
      }
      return 0;
    } catch (ElfException | IOException e) {
      System.err.println("lockstep bench machine: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (GuestFault e) {
      System.err.println("lockstep bench machine: guest fault: " + e.getMessage());
      return ExitCodes.GUEST_FAULT;
    } finally {
      deleteQuietly(logFile);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temporary file left behind is harmless
      }
    }
  }

  /** A guest run that reboots whenever the guest halts. */
  private static final class Run {
    private final byte[] image;
    private final Path logFile;
    private ReplayLogWriter log;
    private EventSink sink;
    private final SecureRandom random = new SecureRandom();
    private Machine machine;
    private Recorder recorder;
    long instructions;
    long wallNanos;
    long cpuNanos;

    Run(byte[] image, Path logFile) throws IOException, ElfException {
      this.image = image;
      this.logFile = logFile;
      boot();
    }

    /** A fresh machine, and a fresh log: a log holds one run. */
    private void boot() throws ElfException, IOException {
      close();
      log = logFile == null ? null
          : ReplayLogWriter.create(logFile, ReplayLogHeader.of(MachineConfig.defaults().ramBytes(), 0, image));
      sink = log != null ? log : e -> {};
      machine = Machine.boot(image, MachineConfig.defaults(), HostPort.UNATTACHED);
      // a state hash per chunk, as a node logs them
      recorder = new Recorder(machine, HostClock.SYSTEM, random::nextInt, sink, null, OutputHandler.NONE,
          CHUNK_INSTRUCTIONS);
    }

    /** Runs for about {@code seconds}; {@code measured} adds the instructions and times to the totals. */
    void runFor(double seconds, boolean measured) throws ElfException, IOException {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      long end = t0 + (long) (seconds * 1e9);
      long done = 0;
      while (System.nanoTime() < end) {
        long before = machine.icount();
        recorder.run(before + CHUNK_INSTRUCTIONS);
        done += machine.icount() - before;
        if (machine.halted()) {
          boot();
        }
      }
      if (measured) {
        instructions += done;
        wallNanos += System.nanoTime() - t0;
        cpuNanos += threads.getCurrentThreadCpuTime() - c0;
      }
    }

    double mips() {
      return instructions / (wallNanos / 1e3);
    }

    double mipsCpu() {
      return instructions / (cpuNanos / 1e3);
    }

    void close() throws IOException {
      if (log != null) {
        log.close();
      }
    }
  }
}
