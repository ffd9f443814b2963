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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lockstep bench machine}: the interpreter's steady-state speed on the {@code cpubench} guest,
 * without and with recording to a replay log, as {@code mips=…}, {@code mips_recording=…} and
 * {@code recording_overhead_percent=…}. Each mode runs in JVMs of its own, alternating, so that each
 * figure comes from an interpreter loop compiled for that mode alone.
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

  @Option(names = "--warmup-seconds", description = "Warm-up seconds, half before each mode (in each of its JVMs) (default: ${DEFAULT-VALUE}).")
  double warmupSeconds = 4;

  @Option(names = "--seconds", description = "Measured seconds, split between the two modes and their JVMs (default: ${DEFAULT-VALUE}).")
  double seconds = 8;

  @Option(names = "--seek-instructions", paramLabel = "N", description = "seek_ms: how far into a recorded log to seek (default: ${DEFAULT-VALUE}; 0: no seek figures).")
  long seekInstructions = 100_000_000L;

  @Option(names = "--snapshot-interval", paramLabel = "N", description = "Instructions between the in-memory snapshots a seek keeps (default: ${DEFAULT-VALUE}).")
  long snapshotInterval = Rewinder.SNAPSHOT_INTERVAL_DEFAULT;

  @Option(names = "--guest", paramLabel = "NAME", description = "Bundled guest to run (default: ${DEFAULT-VALUE}).")
  String guest = "cpubench";

  @Option(names = "--forks", paramLabel = "N", description = "JVMs per mode, run alternately (plain, recording, plain, ...), each warmed up on its own;"
      + " 0 runs both modes in this JVM (default: ${DEFAULT-VALUE}).")
  int forks = 2;

  /** Set in a forked JVM: measure this one mode and print its raw totals. */
  @Option(names = "--child", hidden = true)
  String child;

  @Override
  public Integer call() {
    if (warmupSeconds < 0 || seconds <= 0 || forks < 0) {
      System.err.println("lockstep bench machine: --seconds must be positive, --warmup-seconds and --forks not negative");
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
      if (child != null) {
        Totals t = measureOne(image, child.equals("recording") ? logFile : null);
        System.out.println(CHILD_PREFIX + t.instructions + " " + t.wallNanos + " " + t.cpuNanos);
        return 0;
      }
      Totals plain;
      Totals recording;
      if (forks == 0) {
        Totals[] both = measureBoth(image, logFile);
        plain = both[0];
        recording = both[1];
      } else {
        plain = new Totals();
        recording = new Totals();
        for (int f = 0; f < forks; f++) {
          plain.add(fork("plain"));
          recording.add(fork("recording"));
        }
      }
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

  private static final String CHILD_PREFIX = "bench-child ";

  /**
   * One mode in this JVM: warm-up, then the measured seconds of that mode's share. Each mode gets its
   * own JVM by default because the compiled interpreter loop depends on the profile it was compiled
   * from: two modes in one JVM share one compiled loop, and the figure then depends on which mode's
   * profile the compiler happened to see (up to 25% apart on the same code).
   */
  private Totals measureOne(byte[] image, Path logFile) throws IOException, ElfException {
    Run run = new Run(image, logFile);
    run.runFor(warmupSeconds / 2, false);
    run.runFor(seconds / Math.max(1, forks) / 2, true);
    run.close();
    return run.totals;
  }

  /** Both modes in this JVM, in alternating rounds so that load from other processes hits both alike. */
  private Totals[] measureBoth(byte[] image, Path logFile) throws IOException, ElfException {
    Run plain = new Run(image, null);
    Run recording = new Run(image, logFile);
    plain.runFor(warmupSeconds / 2, false);
    recording.runFor(warmupSeconds / 2, false);
    int rounds = Math.max(1, (int) Math.round(seconds / ROUND_SECONDS));
    for (int r = 0; r < rounds; r++) {
      plain.runFor(seconds / rounds / 2, true);
      recording.runFor(seconds / rounds / 2, true);
    }
    recording.close();
    return new Totals[] {plain.totals, recording.totals};
  }

  /** Runs one mode in a fresh JVM with this JVM's class path and heap settings, and reads its totals. */
  private Totals fork(String mode) throws IOException {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(javaBin));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-Xm") || arg.startsWith("-Xss")) {
        cmd.add(arg);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchMachineCommand.class.getName(),
        "--child", mode, "--guest", guest, "--forks", Integer.toString(forks),
        "--warmup-seconds", Double.toString(warmupSeconds), "--seconds", Double.toString(seconds),
        "--seek-instructions", "0"));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    int rc;
    try {
      rc = p.waitFor();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the " + mode + " JVM ran");
    }
    for (String line : out.split("\\R")) {
      if (line.startsWith(CHILD_PREFIX)) {
        String[] f = line.substring(CHILD_PREFIX.length()).trim().split(" ");
        Totals t = new Totals();
        t.instructions = Long.parseLong(f[0]);
        t.wallNanos = Long.parseLong(f[1]);
        t.cpuNanos = Long.parseLong(f[2]);
        return t;
      }
    }
    throw new IOException("the forked " + mode + " JVM (exit " + rc + ") printed no figures: " + out.strip());
  }

  /** Entry point of a forked measuring JVM. */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new BenchMachineCommand()).execute(args));
  }

  /** Instructions and times summed over measured rounds. */
  private static final class Totals {
    long instructions;
    long wallNanos;
    long cpuNanos;

    void add(Totals t) {
      instructions += t.instructions;
      wallNanos += t.wallNanos;
      cpuNanos += t.cpuNanos;
    }

    double mips() {
      return instructions / (wallNanos / 1e3);
    }

    double mipsCpu() {
      return instructions / (cpuNanos / 1e3);
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
    final Totals totals = new Totals();

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
        totals.instructions += done;
        totals.wallNanos += System.nanoTime() - t0;
        totals.cpuNanos += threads.getCurrentThreadCpuTime() - c0;
      }
    }

    void close() throws IOException {
      if (log != null) {
        log.close();
      }
    }
  }
}
