package dev.lockstep.checkers.cli;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.linear.LinearOptions;
import dev.lockstep.checkers.linear.LinearizabilityChecker;
import dev.lockstep.checkers.linear.Model;
import dev.lockstep.checkers.sim.SimSpec;
import dev.lockstep.checkers.sim.StoreSimulator;
import dev.lockstep.checkers.sim.TxnSimulator;
import dev.lockstep.histories.Format;
import dev.lockstep.histories.Histories;
import dev.lockstep.histories.Op;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep bench checkers}: times reading and checking three generated histories (a JSON
 * Lines file each) and prints {@code name=value} lines: {@code _ms} is the median wall time of read
 * and check after warm-up runs, {@code _read_ms} its reading part, {@code _cpu_ms} the process CPU
 * time it used (all threads, the collector's included), {@code _gc_pause_ms} the time in collector
 * pauses within it, {@code _first_ms} the first, cold run. {@code multi_register_txn} is 10
 * processes running 10,000 transactions over 10 keys; {@code startup_*} see {@link StartupBench}.
 */
@Command(name = "checkers", mixinStandardHelpOptions = true,
    description = "Time reading and checking generated histories (cas_10k_ms, kv_100k_ms, cas_50p_ms, "
        + "multi_register_txn_ms) and the start of a whole check process on a 2-op history (startup_ms).")
public final class BenchCheckersCommand implements Callable<Integer> {
  private static final long NANOS_PER_MS = 1_000_000;
  /** Timed runs of the history with crashed ops, whose check may take up to the time limit each. */
  private static final int CRASHED_RUNS_MAX = 3;
  /** Bound on waiting for the JIT to finish with the generator before a history is timed. */
  private static final long COMPILER_SETTLE_MS_MAX = 5_000;
  /** The JIT counts as done when it has compiled nothing for this long. */
  private static final long COMPILER_QUIET_MS = 300;
  private static final long COMPILER_POLL_MS = 20;
  /** The multi-register history: 10 processes, 10 keys, 10,000 transactions. */
  private static final int TXN_PROCESSES = 10;
  private static final int TXN_KEYS = 10;
  private static final int TXN_COUNT = 10_000;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--seed", description = "Seed of the generated histories (default ${DEFAULT-VALUE}).")
  long seed = 1;

  // TRICKY: with fewer warm-up runs the JIT is still compiling the reader and the search during the
  // timed runs, on the same two cores: that measures the compiler, not a steady state.
  @Option(names = "--warmup", description = "Untimed runs before measuring (default ${DEFAULT-VALUE}).")
  int warmup = 8;

  @Option(names = "--runs", description = "Timed runs; the median is printed (default ${DEFAULT-VALUE}).")
  int runs = 7;

  @Option(names = "--time-limit", description = "Seconds per check before it is unknown (default ${DEFAULT-VALUE}).")
  long timeLimitS = 30;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = Files.createTempDirectory("lockstep-bench-checkers");
    try {
      out.println("heap_max_mb=" + Runtime.getRuntime().maxMemory() / (1 << 20));
      bench(out, dir, "cas_10k", SimSpec.casRegister(10, 10_000, seed), Model.CAS_REGISTER, warmup, runs);
      bench(out, dir, "kv_100k", SimSpec.casRegister(20, 100_000, seed).withKeys(1000), Model.KV, warmup, runs);
      bench(out, dir, "cas_50p", SimSpec.casRegister(50, 20_000, seed).withCrashPercent(3), Model.CAS_REGISTER, 1, Math.min(runs, CRASHED_RUNS_MAX));
      bench(out, dir, "multi_register_txn", () -> TxnSimulator.run(TXN_PROCESSES, TXN_KEYS, TXN_COUNT, seed, false),
          Model.MULTI_REGISTER, 1, Math.min(runs, CRASHED_RUNS_MAX));
      StartupBench.run(out, dir, runs);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
    out.flush();
    return 0;
  }

  private void bench(PrintWriter out, Path dir, String name, SimSpec sim, Model model, int warm, int timed)
      throws IOException {
    bench(out, dir, name, () -> StoreSimulator.run(sim), model, warm, timed);
  }

  private void bench(PrintWriter out, Path dir, String name, Supplier<List<Op>> sim, Model model, int warm, int timed)
      throws IOException {
    Path file = dir.resolve(name + ".jsonl");
    int historyOps = generate(sim, file);
    awaitCompilerQuiet();
    LinearOptions options = LinearOptions.of(model, System::nanoTime).withTimeLimit(Duration.ofSeconds(timeLimitS));
    Result result = null;
    long first = -1;
    long[] wall = new long[timed];
    long[] cpu = new long[timed];
    long[] readWall = new long[timed];
    long[] gc = new long[timed];
    for (int i = 0; i < warm + timed; i++) {
      long cpuStart = processCpuNanos();
      long gcStart = gcMillis();
      long start = System.nanoTime();
      long[] readDone = new long[1];
      result = readAndCheck(file, options, readDone);
      long took = System.nanoTime() - start;
      first = first < 0 ? took : first;
      if (i >= warm) {
        wall[i - warm] = took;
        readWall[i - warm] = readDone[0] - start;
        cpu[i - warm] = processCpuNanos() - cpuStart;
        gc[i - warm] = gcMillis() - gcStart;
      }
    }
    out.println(name + "_history_ops=" + historyOps);
    out.println(name + "_verdict=" + result.verdict().label());
    out.println(name + "_first_ms=" + first / NANOS_PER_MS);
    out.println(name + "_read_ms=" + median(readWall) / NANOS_PER_MS);
    out.println(name + "_cpu_ms=" + median(cpu) / NANOS_PER_MS);
    out.println(name + "_gc_pause_ms=" + median(gc));
    out.println(name + "_ms=" + median(wall) / NANOS_PER_MS);
    out.flush();
  }

  /**
   * One timed run: reads the history and checks it; notes in {@code readDone} when reading ended.
   * TRICKY: in a method of its own so the history is garbage once the run is over; a local of the
   * measuring loop would keep each run's history alive through the next run's reading, which a
   * check of one history on disk never pays for.
   */
  private static Result readAndCheck(Path file, LinearOptions options, long[] readDone) throws IOException {
    List<Op> read = Histories.read(file);
    readDone[0] = System.nanoTime();
    return new LinearizabilityChecker(options).check(CheckInput.ofHistory(read));
  }

  /**
   * Writes the simulated history to {@code file} and returns its size. TRICKY: in a method of its
   * own so the simulator's ops are garbage before the timing starts, as they would be for a check
   * of a history on disk.
   */
  private static int generate(Supplier<List<Op>> sim, Path file) throws IOException {
    List<Op> ops = sim.get();
    Histories.write(file, ops, Format.JSONL);
    return ops.size();
  }

  /**
   * Waits, at most {@link #COMPILER_SETTLE_MS_MAX}, until the JIT has compiled nothing for {@link
   * #COMPILER_QUIET_MS}. TRICKY: generating a large history makes the simulator and the writer hot;
   * on two cores their compiling otherwise runs through the warm-up into the timed runs and is
   * counted as reading and checking. The warm-up runs still follow, as many as before.
   */
  private static void awaitCompilerQuiet() {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return;
    }
    long deadline = System.nanoTime() + COMPILER_SETTLE_MS_MAX * NANOS_PER_MS;
    long last = jit.getTotalCompilationTime();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline && System.nanoTime() - quietSince < COMPILER_QUIET_MS * NANOS_PER_MS) {
      java.util.concurrent.locks.LockSupport.parkNanos(COMPILER_POLL_MS * NANOS_PER_MS);
      long now = jit.getTotalCompilationTime();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      }
    }
  }

  /** Time the collectors spent in collections so far (for G1, its pauses). */
  private static long gcMillis() {
    long total = 0;
    for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** CPU time of the whole process (all threads, GC included); wall time suffers on a shared host. */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  /** Runs the command on its own (the harness mounts it under {@code lockstep bench}). */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new BenchCheckersCommand()).execute(args));
  }
}
