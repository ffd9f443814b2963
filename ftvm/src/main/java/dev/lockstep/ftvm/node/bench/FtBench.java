package dev.lockstep.ftvm.node.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.ftvm.client.FtClient;
import dev.lockstep.ftvm.client.MultiplexedLoad;
import dev.lockstep.ftvm.client.Request;
import dev.lockstep.ftvm.client.Result;
import dev.lockstep.ftvm.golive.PrimaryRecord;
import dev.lockstep.ftvm.golive.PrimaryWatch;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.host.ClusterSecret;
import dev.lockstep.ftvm.node.host.FreePorts;
import dev.lockstep.ftvm.node.host.NodeCommand;
import dev.lockstep.ftvm.node.records.NodeEventLog;
import dev.lockstep.ftvm.tls.ThrowawayCa;
import dev.lockstep.ftvm.tls.Tls;
import dev.lockstep.ftvm.zk.ZkProcess;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * {@code lockstep bench ft}: the FT figures of the kv guest on this machine, measured with a real
 * ZooKeeper process, real node processes and real sockets. Throughput with a backup over throughput
 * without one: both clusters run side by side in one run, and the same closed-loop clients drive one
 * of them at a time in alternating windows (the other one idles), after a warm-up of both; so drift
 * in the machine's load and the JIT's warm-up fall on both alike. The ratio is measured twice: with
 * the primaries on a CPU of their own and the backup and clients on the others (the paper's layout
 * of separate hosts, {@link CpuLayout#PAPER}), and with every process on every CPU. Also the latency
 * the output rule adds (gate hold time of acked outputs on the primary) at a light load and under the
 * throughput load, failover time from kill -9 of the primary to
 * the first ok of a call sent after it, logging-channel bytes, and the backup's lag.
 */
public final class FtBench {

  /** Bound on every wait for a node to reach a state. */
  static final Duration STATE_WAIT = Duration.ofSeconds(60);
  /** Bound on one client call. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  /** Closed-loop clients of the light load at which the output rule's latency is measured. */
  static final int LATENCY_CLIENTS = 8;
  /** Length of the light-load window. */
  static final Duration LATENCY_WINDOW = Duration.ofSeconds(5);
  /** Time after a switch of clusters before a window counts: connections and caches settle. */
  static final Duration SWITCH_SETTLE = Duration.ofMillis(200);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** CPUs of this process before the bench pins it anywhere (the JVM counts those of its current affinity). */
  private static final int CPUS = Runtime.getRuntime().availableProcessors();

  /** What to measure. */
  public record Settings(int clients, Duration warmup, Duration measure, int rounds, int failovers, Path workDir,
      boolean tls) {
    /** Settings with the TLS phase. */
    public Settings(int clients, Duration warmup, Duration measure, int rounds, int failovers, Path workDir) {
      this(clients, warmup, measure, rounds, failovers, workDir, true);
    }
  }

  private final Settings s;
  private final PrintStream progress;
  private final List<Process> processes = new ArrayList<>();
  private int nodeCounter;
  /** The TLS material of the TLS phase (every node of it uses the same certificate), made on first use. */
  private ThrowawayCa.Material tlsMaterial;
  private SslContext clientTls;

  public FtBench(Settings s, PrintStream progress) {
    this.s = s;
    this.progress = progress;
  }

  /** Runs every phase and returns the figures in print order. */
  public Map<String, String> run() throws IOException, InterruptedException {
    Map<String, String> out = new LinkedHashMap<>();
    Files.createDirectories(s.workDir());
    try (ZkProcess zk = ZkProcess.start(FreePorts.free(), s.workDir().resolve("zk"))) {
      throughput(zk, out, "", false);
      if (s.tls()) {
        // the same figures with TLS on every node (client port and logging channel) and every client
        tlsMaterial = ThrowawayCa.make(s.workDir().resolve("tls"), "bench");
        clientTls = Tls.clientSslContext(tlsMaterial.ca());
        throughput(zk, out, "tls_", true);
      }
      failovers(zk, out);
    } finally {
      for (Process p : processes) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
    return out;
  }

  // ---- phases ----

  /** A measured window of one cluster: wall-clock bounds (for the notes) and the ok calls in it. */
  private record Window(boolean ft, long wall0, long wall1, long nanos, long oks) {}

  /**
   * Throughput and latency figures, named with {@code prefix}; with {@code tls} every node speaks TLS on
   * both its ports and the clients verify the primary's certificate.
   */
  private void throughput(ZkProcess zk, Map<String, String> out, String prefix, boolean tls)
      throws IOException, InterruptedException {
    String soloCluster = "bench-" + prefix + "solo-" + System.nanoTime();
    String ftCluster = "bench-" + prefix + "ft-" + System.nanoTime();
    SslContext ctx = tls ? clientTls : null;
    try (PrimaryWatch soloWatch = new PrimaryWatch(zk.connectString(), soloCluster, Duration.ofSeconds(5));
        PrimaryWatch ftWatch = new PrimaryWatch(zk.connectString(), ftCluster, Duration.ofSeconds(5))) {
      startNode(zk, soloCluster, tls);
      Process soloPrimary = processes.get(processes.size() - 1);
      Path ftPrimaryDir = startNode(zk, ftCluster, tls);
      Process ftPrimary = processes.get(processes.size() - 1);
      awaitPrimary(soloWatch, 0);
      awaitPrimary(ftWatch, 0);
      Path backupDir = startNode(zk, ftCluster, tls);
      Process backup = processes.get(processes.size() - 1);
      awaitNote(backupDir, "snapshot-received");
      try (MultiplexedLoad solo = new MultiplexedLoad(primaryAddress(soloWatch), s.clients(), 1, ctx);
          MultiplexedLoad ft = new MultiplexedLoad(primaryAddress(ftWatch), s.clients(), 1, ctx)) {
        // warm-up: both clusters and the clients' own code, in the same alternation as the measurement
        Duration warmWindow = s.warmup().dividedBy(2L * s.rounds());
        for (int r = 0; r < s.rounds(); r++) {
          window(solo, ft, false, warmWindow);
          window(ft, solo, true, warmWindow);
        }
        List<Window> all = new ArrayList<>();
        for (CpuLayout layout : CpuLayout.values()) {
          String why = layout.apply(soloPrimary.pid(), ftPrimary.pid(), backup.pid(), ProcessHandle.current().pid());
          if (why != null) {
            progress.printf("bench ft: no %s layout: %s%n", layout.label, why);
            out.put(prefix + layout.prefix + "ft_throughput_ratio", "unknown(" + why + ")");
            continue;
          }
          List<Window> windows = measure(solo, ft);
          all.addAll(windows);
          double soloOps = opsPerS(windows, false);
          double ftOps = opsPerS(windows, true);
          progress.printf("bench ft (%s%s): solo %.0f ops/s, ft %.0f ops/s with %d clients (%d rounds)%n",
              tls ? "tls, " : "", layout.label, soloOps, ftOps, s.clients(), s.rounds());
          out.put(prefix + layout.prefix + "ft_ops_per_s", fmt(ftOps));
          out.put(prefix + layout.prefix + "solo_ops_per_s", fmt(soloOps));
          String lost = backupLost(ftPrimaryDir);
          // a primary that lost its backup runs alone: its throughput would say nothing about FT
          out.put(prefix + layout.prefix + "ft_throughput_ratio", lost == null ? fmt(ftOps / soloOps) : "invalid(" + lost + ")");
          if (lost == null) {
            double[] spread = roundRatios(windows);
            out.put(prefix + layout.prefix + "ft_throughput_ratio_round_min", fmt(spread[0]));
            out.put(prefix + layout.prefix + "ft_throughput_ratio_round_max", fmt(spread[1]));
          }
        }
        String why = CpuLayout.SHARED.apply(soloPrimary.pid(), ftPrimary.pid(), backup.pid(), ProcessHandle.current().pid());
        if (why != null) {
          throw new IllegalStateException("cannot give the bench its cpus back: " + why);
        }
        solo.pause(CALL_TIMEOUT.toMillis());
        ft.pause(CALL_TIMEOUT.toMillis());
        // the output rule's latency at a light load: under the throughput load it is mostly the
        // queueing of a saturated primary, not the rule
        Window light;
        try (MultiplexedLoad few = new MultiplexedLoad(primaryAddress(ftWatch), LATENCY_CLIENTS, s.clients() + 1, ctx)) {
          light = window(few, ft, true, LATENCY_WINDOW);
          few.pause(CALL_TIMEOUT.toMillis());
        }
        List<JsonNode> stats = statsNotes(ftPrimaryDir);
        latencyFigures(stats, List.of(light), prefix, out);
        latencyFigures(stats, all, prefix + "loaded_", out);
        channelFigures(stats, all, prefix, out);
      }
    }
  }

  /** The measured windows of both clusters, in ABBA order so a steady drift of load favours neither. */
  private List<Window> measure(MultiplexedLoad solo, MultiplexedLoad ft) throws InterruptedException {
    Duration w = s.measure().dividedBy(s.rounds());
    List<Window> windows = new ArrayList<>();
    for (int r = 0; r < s.rounds(); r++) {
      boolean ftFirst = r % 2 == 1;
      windows.add(ftFirst ? window(ft, solo, true, w) : window(solo, ft, false, w));
      windows.add(ftFirst ? window(solo, ft, false, w) : window(ft, solo, true, w));
    }
    return windows;
  }

  /**
   * Where the processes run while throughput is measured. The paper's primary and backup run on
   * hosts of their own, with the clients elsewhere: {@link #PAPER} gives each primary CPU 0 and puts
   * the backup and the clients on the other CPUs, so the backup takes nothing from the primary it
   * protects. {@link #SHARED} lets every process run anywhere, so the backup and the clients compete
   * with the primary for the same CPUs.
   */
  enum CpuLayout {
    PAPER("paper (primary on cpu 0; backup and clients on the others)", ""),
    SHARED("shared cpus", "shared_cpus_");

    private static final String NO_TASKSET = "taskset (util-linux) is not available: ";

    final String label;
    final String prefix;

    CpuLayout(String label, String prefix) {
      this.label = label;
      this.prefix = prefix;
    }

    /** Sets the CPU affinity of every thread of the processes; returns why it cannot, or null. */
    String apply(long soloPrimary, long ftPrimary, long backup, long clients) throws InterruptedException {
      int cpus = CPUS;
      String all = "0-" + (cpus - 1);
      if (this == PAPER && cpus < 2) {
        return "needs 2 cpus, this machine has " + cpus;
      }
      String rest = cpus == 2 ? "1" : "1-" + (cpus - 1);
      String primaries = this == PAPER ? "0" : all;
      String others = this == PAPER ? rest : all;
      for (var pin : List.of(Map.entry(soloPrimary, primaries), Map.entry(ftPrimary, primaries),
          Map.entry(backup, others), Map.entry(clients, others))) {
        String why = taskset(pin.getKey(), pin.getValue());
        if (why != null) {
          // without taskset nothing was ever pinned: every process already runs on every cpu
          return this == SHARED && why.startsWith(NO_TASKSET) ? null : why;
        }
      }
      return null;
    }

    private static String taskset(long pid, String cpus) throws InterruptedException {
      try {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
          p.destroyForcibly();
          return "taskset -a -p -c " + cpus + " " + pid + " failed";
        }
        return null;
      } catch (IOException e) {
        return NO_TASKSET + e.getMessage();
      }
    }
  }

  /** Why the FT cluster's primary ran without its backup at some point, or null. */
  private static String backupLost(Path primaryDir) throws IOException {
    for (JsonNode j : notes(primaryDir)) {
      String type = j.path("type").asText();
      if ("backup-lost".equals(type) || "halt".equals(type)) {
        return type + ": " + j.path("reason").asText();
      }
    }
    return null;
  }

  /** Drives {@code on} alone for {@code d} (after it settled) and counts its ok calls. */
  private Window window(MultiplexedLoad on, MultiplexedLoad off, boolean ft, Duration d)
      throws InterruptedException {
    off.pause(CALL_TIMEOUT.toMillis());
    on.resume();
    sleep(SWITCH_SETTLE);
    long ok0 = on.ok();
    long t0 = System.nanoTime();
    long wall0 = wallNanos();
    sleep(d);
    long oks = on.ok() - ok0;
    long nanos = System.nanoTime() - t0;
    for (MultiplexedLoad l : List.of(on, off)) {
      if (l.error() != null) {
        throw new IllegalStateException("the " + (l == on == ft ? "ft" : "solo") + " load stopped: " + l.error());
      }
    }
    return new Window(ft, wall0, wallNanos(), nanos, oks);
  }

  private static InetSocketAddress primaryAddress(PrimaryWatch watch) {
    return watch.current().orElseThrow(() -> new IllegalStateException("no primary published")).node().clientAddress();
  }

  /**
   * The lowest and highest ratio of one round (its FT window over its solo window): how far the figure
   * moves between neighbouring windows of the same run, so one run's ratio can be read with its noise.
   */
  private static double[] roundRatios(List<Window> windows) {
    double min = Double.MAX_VALUE;
    double max = 0;
    for (int i = 0; i + 1 < windows.size(); i += 2) {
      List<Window> round = windows.subList(i, i + 2);
      double r = opsPerS(round, true) / opsPerS(round, false);
      min = Math.min(min, r);
      max = Math.max(max, r);
    }
    return new double[] {min, max};
  }

  private static double opsPerS(List<Window> windows, boolean ft) {
    long oks = 0;
    long nanos = 0;
    for (Window w : windows) {
      if (w.ft() == ft) {
        oks += w.oks();
        nanos += w.nanos();
      }
    }
    return oks * 1e9 / nanos;
  }

  /**
   * The FT primary's stats notes while it had a backup: one a second, each covering the second before
   * it. Only notes written inside an FT window count toward a figure.
   */
  private static List<JsonNode> statsNotes(Path primaryDir) throws IOException {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode j : notes(primaryDir)) {
      if ("primary-stats".equals(j.path("type").asText()) && j.path("backup").asBoolean()) {
        all.add(j);
      }
    }
    return all;
  }

  private static List<JsonNode> notesIn(List<JsonNode> all, Window w) {
    List<JsonNode> in = new ArrayList<>();
    for (JsonNode j : all) {
      long t = j.path("time").asLong();
      if (t >= w.wall0() && t <= w.wall1()) {
        in.add(j);
      }
    }
    return in;
  }

  /**
   * Output-rule latency in the FT windows: the median of the per-second p50s and the worst p99. The
   * first note in a window may cover time before it (the idle cluster), so it does not count.
   */
  private static void latencyFigures(List<JsonNode> all, List<Window> windows, String prefix, Map<String, String> out) {
    List<Long> p50s = new ArrayList<>();
    long p99 = -1;
    for (Window w : windows) {
      List<JsonNode> in = notesIn(all, w);
      for (JsonNode j : in.subList(Math.min(1, in.size()), in.size())) {
        if (w.ft() && j.path("ruleCount").asLong() > 0) {
          p50s.add(j.path("ruleP50Us").asLong());
          p99 = Math.max(p99, j.path("ruleP99Us").asLong());
        }
      }
    }
    p50s.sort(null);
    out.put(prefix + "output_rule_latency_us_p50", p50s.isEmpty() ? "unknown" : Long.toString(p50s.get(p50s.size() / 2)));
    out.put(prefix + "output_rule_latency_us_p99", p99 < 0 ? "unknown" : Long.toString(p99));
  }

  /** Logging-channel bytes (between the first and the last note of each FT window) and the backup's lag. */
  private static void channelFigures(List<JsonNode> all, List<Window> windows, String prefix, Map<String, String> out) {
    double secs = 0;
    long bytes = 0;
    long outputs = 0;
    double lagSum = 0;
    int lagN = 0;
    for (Window w : windows) {
      if (!w.ft()) {
        continue;
      }
      List<JsonNode> in = notesIn(all, w);
      if (in.size() >= 2) {
        JsonNode first = in.get(0);
        JsonNode last = in.get(in.size() - 1);
        secs += (last.path("time").asLong() - first.path("time").asLong()) / 1e9;
        bytes += last.path("bytesSent").asLong() - first.path("bytesSent").asLong();
        outputs += last.path("outputsReleased").asLong() - first.path("outputsReleased").asLong();
      }
      for (JsonNode j : in.subList(Math.min(1, in.size()), in.size())) {
        lagSum += j.path("lagMs").asDouble();
        lagN++;
      }
    }
    out.put(prefix + "log_bytes_per_request", outputs == 0 ? "unknown" : fmt((double) bytes / outputs));
    out.put(prefix + "log_bytes_per_s", secs <= 0 ? "unknown" : fmt(bytes / secs));
    out.put(prefix + "backup_lag_ms", lagN == 0 ? "unknown" : fmt(lagSum / lagN));
  }

  private void failovers(ZkProcess zk, Map<String, String> out) throws IOException, InterruptedException {
    String cluster = "bench-failover-" + System.nanoTime();
    List<Double> ms = new ArrayList<>();
    try (PrimaryWatch watch = new PrimaryWatch(zk.connectString(), cluster, Duration.ofSeconds(5))) {
      startNode(zk, cluster);
      long epoch = awaitPrimary(watch, 0);
      Process primary = processes.get(processes.size() - 1);
      Path backupDir = startNode(zk, cluster);
      Process backup = processes.get(processes.size() - 1);
      awaitNote(backupDir, "snapshot-received");
      try (Load load = new Load(zk.connectString(), cluster, 2, 1).running()) {
        for (int i = 0; i < s.failovers(); i++) {
          awaitOks(load, 20);
          long t0 = System.nanoTime();
          load.mark(t0);
          primary.destroyForcibly();
          // an ok of a call sent after the kill: a reply the old primary released just before it does not count
          waitUntil(() -> load.firstOkAfterMark.get() != Long.MAX_VALUE, "first ok after kill -9 of the primary");
          ms.add((load.firstOkAfterMark.get() - t0) / 1e6);
          epoch = awaitPrimary(watch, epoch);
          primary = backup;
          backupDir = startNode(zk, cluster);
          backup = processes.get(processes.size() - 1);
          awaitNote(backupDir, "snapshot-received");
          progress.printf("bench ft: failover %d of %d: %.1f ms%n", i + 1, s.failovers(), ms.get(ms.size() - 1));
        }
      }
    }
    ms.sort(null);
    long pauseUsMax = 0;
    try (var dirs = Files.list(s.workDir().resolve(cluster))) {
      for (Path d : dirs.toList()) {
        for (JsonNode j : notes(d)) {
          if ("backup-attached".equals(j.path("type").asText())) {
            pauseUsMax = Math.max(pauseUsMax, j.path("pauseUs").asLong());
          }
        }
      }
    }
    out.put("snapshot_pause_ms_max", fmt(pauseUsMax / 1000.0));
    out.put("failovers", Integer.toString(ms.size()));
    out.put("failover_ms_median", fmt(ms.get(ms.size() / 2)));
    out.put("failover_ms_max", fmt(ms.get(ms.size() - 1)));
  }

  // ---- helpers ----

  private Path startNode(ZkProcess zk, String cluster) throws IOException {
    return startNode(zk, cluster, false);
  }

  private Path startNode(ZkProcess zk, String cluster, boolean tls) throws IOException {
    String id = "n" + (nodeCounter++);
    Path dir = s.workDir().resolve(cluster).resolve(id);
    Files.createDirectories(dir);
    Path secret = s.workDir().resolve(cluster).resolve("cluster.secret");
    if (!Files.exists(secret)) {
      ClusterSecret.generate(secret);
    }
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-Dorg.slf4j.simpleLogger.log.org.apache.zookeeper=warn",
        "-Dorg.slf4j.simpleLogger.log.org.apache.curator=warn",
        "-cp", System.getProperty("java.class.path"),
        NodeCommand.class.getName(),
        "--id", id, "--cluster", cluster, "--zk", zk.connectString(), "--guest", "kv",
        "--data", dir.toString(), "--secret-file", secret.toString(),
        // the arrangement lockstep test gives its nodes: the kv guest journals to the cluster's one disk
        "--disk", "shared", "--disk-file", s.workDir().resolve(cluster).resolve("shared-disk.img").toString()));
    if (tls) {
      cmd.addAll(tlsMaterial.nodeArgs());
    }
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()))
        .start();
    processes.add(p);
    return dir;
  }

  private long awaitPrimary(PrimaryWatch watch, long epochAbove) throws InterruptedException {
    waitUntil(() -> watch.current().map(PrimaryRecord::epoch).orElse(0L) > epochAbove,
        "a primary of an epoch above " + epochAbove);
    Optional<PrimaryRecord> p = watch.current();
    return p.orElseThrow().epoch();
  }

  private void awaitNote(Path nodeDir, String type) throws InterruptedException {
    waitUntil(() -> {
      try {
        return notes(nodeDir).stream().anyMatch(j -> type.equals(j.path("type").asText()));
      } catch (IOException e) {
        return false;
      }
    }, "note " + type + " in " + nodeDir);
  }

  private static void awaitOks(Load load, long more) throws InterruptedException {
    long target = load.ok.get() + more;
    waitUntil(() -> load.ok.get() >= target, more + " more ok calls");
  }

  private static void waitUntil(BooleanSupplier cond, String what) throws InterruptedException {
    long deadline = System.nanoTime() + STATE_WAIT.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("waited " + STATE_WAIT.toSeconds() + " s for " + what + " in vain");
      }
      Thread.sleep(5);
    }
  }

  private static List<JsonNode> notes(Path nodeDir) throws IOException {
    Path f = nodeDir.resolve(NodeEventLog.NOTES_JSONL);
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(f)) {
      return out;
    }
    for (String line : Files.readAllLines(f)) {
      try {
        out.add(JSON.readTree(line));
      } catch (IOException torn) {
        // a line being written
      }
    }
    return out;
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }

  private static long wallNanos() {
    return HostClock.SYSTEM.wallNanos();
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.3f", v);
  }

  /** Closed-loop clients writing their own key; they start paused. */
  private static final class Load implements AutoCloseable {
    final AtomicLong ok = new AtomicLong();
    /** Completion time of the first ok of a call sent after {@link #mark}; MAX_VALUE until then. */
    final AtomicLong firstOkAfterMark = new AtomicLong(Long.MAX_VALUE);
    private volatile long mark = Long.MAX_VALUE;
    private final List<Thread> threads = new ArrayList<>();
    private final Object lock = new Object();
    private volatile boolean running = true;
    private boolean paused = true;
    private int inCall;

    Load(String zk, String cluster, int clients, int firstId) {
      for (int i = 0; i < clients; i++) {
        int id = firstId + i;
        Thread t = new Thread(() -> {
          try (FtClient c = new FtClient(zk, cluster, id, CALL_TIMEOUT)) {
            int v = 0;
            while (awaitTurn()) {
              try {
                long sent = System.nanoTime();
                if (c.call(Request.write(id, ++v)) instanceof Result.Ok) {
                  ok.incrementAndGet();
                  if (sent > mark) {
                    firstOkAfterMark.accumulateAndGet(System.nanoTime(), Math::min);
                  }
                }
              } finally {
                callDone();
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "bench-client-" + id);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    /** From now on, {@link #firstOkAfterMark} waits for a call sent after {@code nanos}. */
    void mark(long nanos) {
      firstOkAfterMark.set(Long.MAX_VALUE);
      mark = nanos;
    }

    /** Load that runs until paused. */
    Load running() {
      resume();
      return this;
    }

    void resume() {
      synchronized (lock) {
        paused = false;
        lock.notifyAll();
      }
    }

    /** Stops new calls and waits (bounded) until the calls under way have ended. */
    void pause() throws InterruptedException {
      long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos() * 2;
      synchronized (lock) {
        paused = true;
        while (inCall > 0 && System.nanoTime() < deadline) {
          lock.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
      }
    }

    private boolean awaitTurn() throws InterruptedException {
      synchronized (lock) {
        while (paused && running) {
          lock.wait();
        }
        if (running) {
          inCall++;
        }
        return running;
      }
    }

    private void callDone() {
      synchronized (lock) {
        inCall--;
        lock.notifyAll();
      }
    }

    @Override
    public void close() throws InterruptedException {
      synchronized (lock) {
        running = false;
        lock.notifyAll();
      }
      for (Thread t : threads) {
        t.join(CALL_TIMEOUT.toMillis() * 2);
      }
    }
  }
}
