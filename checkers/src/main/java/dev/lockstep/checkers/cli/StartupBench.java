package dev.lockstep.checkers.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The start-up figures of {@code lockstep bench checkers}: wall time of a whole process checking a
 * 2-op history, the median of several runs. {@code startup_ms} goes through {@code bin/lockstep
 * check} as a user would (bash, its staleness check, the class-data archive, {@link CheckMain});
 * {@code startup_java_ms} is the java command it runs; {@code startup_full_cli_ms} the whole
 * command line ({@code java -jar lockstep.jar check}) for comparison. Without the jar (run from
 * classes) only {@code startup_java_ms} is measured, without archive. Each command runs once
 * untimed first; {@code _runs_ms} lists every timed run, {@code _cpu_ms} is the median CPU time of
 * the whole process tree (Linux only; less at the mercy of other load than the wall time).
 */
final class StartupBench {
  private static final long NANOS_PER_MS = 1_000_000;
  private static final long RUN_S_MAX = 60;
  /** Linux's USER_HZ is 100: a clock tick of /proc/self/stat is 10 ms. */
  private static final long TICK_MS = 10;
  /** Bound on the untimed first run, which may build the jar and the class-data archive. */
  private static final long FIRST_RUN_S_MAX = 900;
  private static final String TWO_OPS = """
      {"type":"invoke","f":"write","value":1,"process":0}
      {"type":"ok","f":"write","value":1,"process":0}
      """;

  private StartupBench() {}

  static void run(PrintWriter out, Path dir, int runs) throws IOException {
    Path history = dir.resolve("two-ops.jsonl");
    Files.writeString(history, TWO_OPS, StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path jar = ownJar();
    Path bin = jar == null ? null : jar.toAbsolutePath().getParent().getParent().getParent().resolve("bin/lockstep");
    if (bin != null && Files.isExecutable(bin)) {
      print(out, "startup", List.of(bin.toString(), "check", history.toString()), runs);
    }
    List<String> fast = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    Path jsa = jar == null ? null : jar.resolveSibling("lockstep-check.jsa");
    if (jsa != null && Files.isRegularFile(jsa)) {
      fast.add("-XX:SharedArchiveFile=" + jsa);
    }
    fast.addAll(List.of("-cp", jar == null ? System.getProperty("java.class.path") : jar.toString(),
        CheckMain.class.getName(), history.toString()));
    print(out, "startup_java", fast, runs);
    if (jar != null) {
      print(out, "startup_full_cli", List.of(java, "-jar", jar.toString(), "check", history.toString()), runs);
    }
  }

  private static void print(PrintWriter out, String name, List<String> command, int runs) {
    long[] wall = new long[runs];
    long[] cpu = new long[runs];
    try {
      // Untimed: bin/lockstep rebuilds a stale jar and makes a missing archive, which is not start-up.
      once(command, FIRST_RUN_S_MAX);
      for (int i = 0; i < runs; i++) {
        long cpuBefore = childrenCpuMs();
        wall[i] = once(command, RUN_S_MAX);
        cpu[i] = childrenCpuMs() - cpuBefore;
      }
    } catch (IOException e) {
      out.println(name + "_error=" + e.getMessage());
      out.flush();
      return;
    }
    long[] sorted = wall.clone();
    Arrays.sort(sorted);
    out.println(name + "_runs_ms=" + Arrays.toString(Arrays.stream(wall).map(w -> w / NANOS_PER_MS).toArray()).replace(" ", ""));
    out.println(name + "_ms=" + sorted[runs / 2] / NANOS_PER_MS);
    if (cpu[0] >= 0) {
      Arrays.sort(cpu);
      out.println(name + "_cpu_ms=" + cpu[runs / 2]);
    }
    out.flush();
  }

  /**
   * CPU time (user and system) of this process's waited-for children and theirs, from Linux's
   * {@code /proc/self/stat} in clock ticks of 10 ms; -1 elsewhere. TRICKY: on a shared, loaded host
   * the wall time of a short process is mostly waiting for a core; its CPU time is not.
   */
  private static long childrenCpuMs() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields 16 and 17 of the file (cutime, cstime); the split starts at field 3.
      return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * TICK_MS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long once(List<String> command, long boundS) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process p = pb.start();
    try {
      if (!p.waitFor(boundS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": did not end within " + boundS + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    long took = System.nanoTime() - start;
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ", expected 0 (valid)");
    }
    return took;
  }

  /** The jar this class was loaded from, or null when it came from a directory of classes. */
  private static Path ownJar() {
    try {
      Path p = Path.of(CheckMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) ? p : null;
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return null;
    }
  }
}
