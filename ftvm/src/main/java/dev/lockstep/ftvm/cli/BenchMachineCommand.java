package dev.lockstep.ftvm.cli;

import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.GuestFault;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.replay.EventSink;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.replay.Recorder;
import dev.lockstep.ftvm.replay.RecordingPort;
import dev.lockstep.ftvm.replay.ReplayLogHeader;
import dev.lockstep.ftvm.replay.ReplayLogWriter;
import dev.lockstep.ftvm.replay.SystemHostEnvironment;
import java.io.IOException;
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
    description = {
      "Measure the interpreter's steady-state speed on the cpubench guest (rebooted whenever it halts),",
      "plain and while recording a replay log. Prints name=value lines."
    })
public final class BenchMachineCommand implements Callable<Integer> {
  /** Instructions per measured chunk. */
  static final long CHUNK_INSTRUCTIONS = 50_000_000L;

  @Option(names = "--warmup-seconds", description = "Warm-up time per mode (default: ${DEFAULT-VALUE}).")
  double warmupSeconds = 2;

  @Option(names = "--seconds", description = "Measured time per mode (default: ${DEFAULT-VALUE}).")
  double seconds = 4;

  @Option(names = "--guest", paramLabel = "NAME", description = "Bundled guest to run (default: ${DEFAULT-VALUE}).")
  String guest = "cpubench";

  @Override
  public Integer call() {
    if (warmupSeconds < 0 || seconds <= 0) {
      System.err.println("lockstep bench machine: --seconds must be positive and --warmup-seconds not negative");
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
    try {
      double[] plain = measure(image, false);
      double[] recording = measure(image, true);
      System.out.println("guest=" + source);
      System.out.printf("mips=%.1f%n", plain[0]);
      System.out.printf("mips_recording=%.1f%n", recording[0]);
      // per CPU-second of the running thread: the interpreter's speed when other processes share the cores
      System.out.printf("mips_cpu=%.1f%n", plain[1]);
      System.out.printf("mips_recording_cpu=%.1f%n", recording[1]);
      System.out.printf("recording_overhead_percent=%.1f%n", (plain[1] - recording[1]) / plain[1] * 100);
      return 0;
    } catch (ElfException | IOException e) {
      System.err.println("lockstep bench machine: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (GuestFault e) {
      System.err.println("lockstep bench machine: guest fault: " + e.getMessage());
      return ExitCodes.GUEST_FAULT;
    }
  }

  /** Returns {wall-clock MIPS, thread-CPU MIPS}. */
  private double[] measure(byte[] image, boolean record) throws ElfException, IOException {
    Path logFile = record ? Files.createTempFile("lockstep-bench", ".replay") : null;
    try {
      Run run = new Run(image, logFile);
      run.runFor(warmupSeconds);
      long i0 = run.instructions;
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      run.runFor(seconds);
      long instructions = run.instructions - i0;
      double mips = instructions / ((System.nanoTime() - t0) / 1e3);
      double mipsCpu = instructions / ((threads.getCurrentThreadCpuTime() - c0) / 1e3);
      run.close();
      return new double[] {mips, mipsCpu};
    } finally {
      if (logFile != null) {
        Files.deleteIfExists(logFile);
      }
    }
  }

  /** A guest run that reboots whenever the guest halts. */
  private static final class Run {
    private final byte[] image;
    private final ReplayLogWriter log;
    private final EventSink sink;
    private final SystemHostEnvironment env = new SystemHostEnvironment();
    private Machine machine;
    private Recorder recorder;
    long instructions;

    Run(byte[] image, Path logFile) throws IOException, ElfException {
      this.image = image;
      MachineConfig config = MachineConfig.defaults();
      this.log = logFile == null ? null
          : ReplayLogWriter.create(logFile, ReplayLogHeader.of(config.ramBytes(), 0, image));
      this.sink = log != null ? log : e -> {};
      boot();
    }

    private void boot() throws ElfException {
      machine = Machine.boot(image, MachineConfig.defaults(), new RecordingPort(env, sink, OutputHandler.NONE));
      recorder = new Recorder(machine, env, sink, null);
    }

    void runFor(double seconds) throws ElfException {
      long end = System.nanoTime() + (long) (seconds * 1e9);
      while (System.nanoTime() < end) {
        long before = machine.icount();
        recorder.run(before + CHUNK_INSTRUCTIONS);
        recorder.checkpoint();
        instructions += machine.icount() - before;
        if (machine.halted()) {
          boot();
        }
      }
    }

    void close() throws IOException {
      if (log != null) {
        log.close();
      }
    }
  }
}
