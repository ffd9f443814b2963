package dev.lockstep.harness.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Summary;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.ftvm.golive.PrimaryWatch;
import dev.lockstep.harness.generator.Generator;
import dev.lockstep.harness.report.IndexReport;
import dev.lockstep.harness.report.RunReports;
import dev.lockstep.harness.store.OpConversion;
import dev.lockstep.harness.store.RunStore;
import dev.lockstep.harness.workload.ClientTarget;
import dev.lockstep.harness.workload.FtTransport;
import dev.lockstep.harness.workload.Workload;
import dev.lockstep.harness.workload.WorkloadOptions;
import dev.lockstep.harness.workload.Workloads;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.run.RunDirectory;
import dev.lockstep.nemesis.Nemesis;
import dev.lockstep.nemesis.faults.Nemeses;
import dev.lockstep.nemesis.schedule.Family;
import dev.lockstep.nemesis.schedule.FamilyEntry;
import dev.lockstep.nemesis.schedule.OverlapSchedule;
import dev.lockstep.nemesis.schedule.Schedule;
import dev.lockstep.nemesis.schedule.ScheduleSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Runs one test end to end: run directory, cluster, clients and nemesis concurrently, heal, restart,
 * liveness, collection, checkers, results and reports. Everything it starts, it stops, whatever happens.
 */
public final class TestRunner {

  /** Bound on waiting for the workers' ops in flight after the time limit. */
  public static final long WORKERS_JOIN_MILLIS = 30_000;
  /** Bound on waiting for the nemesis step in progress at the end. */
  public static final long NEMESIS_JOIN_MILLIS = 30_000;
  /** ZooKeeper session of the harness's own watch of the primary. */
  public static final Duration WATCH_SESSION = Duration.ofSeconds(5);
  /** Client ids of the harness's readiness probes, far above any worker's. */
  public static final int PROBE_CLIENT_ID_BASE = 0x7000_0000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final PrintStream err;
  private final boolean statusLine;

  /**
   * @param out where the verdict, evidence, run directory and rerun command go
   * @param err where the live status line goes
   * @param statusLine whether stderr is a terminal to redraw the status line on
   */
  public TestRunner(PrintStream out, PrintStream err, boolean statusLine) {
    this.out = out;
    this.err = err;
    this.statusLine = statusLine;
  }

  /**
   * Runs {@code settings} (validated first).
   *
   * @throws ClusterException when the cluster could not be started: no verdict is possible
   */
  public RunOutcome run(TestSettings settings) throws ClusterException, IOException, InterruptedException {
    settings.validate();
    Seeds seeds = new Seeds(settings.seed());
    Clock wall = Clock.systemUTC();
    Instant origin = wall.instant();
    RunClock clock = RunClock.system();
    RunDirectory run = RunStore.create(settings, wall);
    RunStore.writeSettings(run.path(), settings);
    HistoryRecorder history = new HistoryRecorder(clock::nanos);
    Schedule schedule = schedule(settings, seeds);
    writeSchedule(run, schedule);
    out.println("lockstep: " + settings.testName() + " seed " + settings.seed() + " -> " + run.path());
    String clusterName = "lockstep-" + Long.toUnsignedString(seeds.child("cluster"), 36);
    Result liveness;
    try (PrimaryWatchHolder watch = new PrimaryWatchHolder()) {
      Workload workload = Workloads.named(settings.workload(), options(settings),
          (target, clientId) -> new FtTransport(watch.get(), target, clientId, settings.unsafe().contains("no-dedup"))
              .tls(watch.tls()));
      long originNanos = origin.getEpochSecond() * 1_000_000_000L + origin.getNano();
      try (TestCluster cluster = TestCluster.start(clusterName, settings, workload.guest(), run.path(),
          seeds.child("proxies"), originNanos, c -> serving(c, watch, clusterName), c -> backupJoined(c, "n2"))) {
        ClientTarget target = new ClientTarget(watch.connect(), clusterName, seconds(settings.callTimeoutSeconds()));
        cluster.primarySource(() -> watch.get().current().map(r -> r.node().nodeId()));
        cluster.joinedSince(originNanos);
        Nemesis nemesis = Nemeses.create(families(settings), cluster, seeds.child("nemesis"));
        RunClock nemesisClock = clock.from(clock.nanos());
        NemesisDriver driver = new NemesisDriver(nemesis, schedule, history, nemesisClock);
        Generator generator = workload.generator().rate(settings.rate()).timeLimit(nanos(settings.timeLimitSeconds()));
        RunClock loadClock = clock.from(clock.nanos());
        Workers workers = new Workers(workload.clients(), target, generator, seeds.random("generator"), history,
            loadClock, settings.concurrency());
        CopyWatch copies = new CopyWatch(cluster.nodes(), id -> cluster.process(id).isAlive() && cluster.joined(id),
            driver::lastKills, history, nemesisClock);
        try (StatusLine status = new StatusLine(err, history, clock, driver::current, statusLine);
            Supervisor supervisor = new Supervisor(cluster.nodeHandles(), driver::killed, history, clock);
            copies) {
          status.start();
          driver.start();
          supervisor.start();
          copies.start();
          workers.start();
          workers.join(TimeUnit.SECONDS.toMillis((long) settings.timeLimitSeconds()) + WORKERS_JOIN_MILLIS);
          workers.stop();
          driver.finish(NEMESIS_JOIN_MILLIS);
        }
        cluster.healAll();
        List<String> restarted = cluster.restartDead();
        if (!restarted.isEmpty()) {
          history.nemesis("restart", restarted);
        }
        liveness = Liveness.beyondOneFailure(Liveness.check(workload.clients(), target, livenessKeys(settings),
            workers.unusedProcess(), history, clock, nanos(settings.livenessSeconds())), beyond(driver, copies));
      }
      return finish(settings, run, workload, history, liveness, clock);
    }
  }

  private RunOutcome finish(TestSettings settings, RunDirectory run, Workload workload, HistoryRecorder history,
      Result liveness, RunClock clock) throws IOException {
    List<Op> ops = OpConversion.toOps(history.snapshot());
    RunStore.writeHistory(run.path(), ops);
    Summary judged = Judge.judge(run, workload, liveness);
    List<Result> results = judged.results();
    Verdict verdict = judged.verdict();
    RunReports.write(run.path(), settings.testName(), ops, verdict.label(), lines(results), display(settings),
        settings.command());
    RunOutcome outcome = new RunOutcome(settings, verdict, results, run.path(), settings.command(),
        history.counts().ok() + history.counts().fail() + history.counts().info(), clock.nanos() / 1e9);
    Verdicts.print(out, outcome);
    return outcome;
  }

  /** The nodes taken beyond one failure at a time: by a double-failure fault, or when no copy was left after a kill. */
  private static java.util.Set<String> beyond(NemesisDriver driver, CopyWatch copies) {
    java.util.Set<String> all = new java.util.LinkedHashSet<>(driver.onlyCopy());
    all.addAll(copies.beyondOneFailure());
    return all;
  }

  private static Schedule schedule(TestSettings settings, Seeds seeds) {
    Duration limit = seconds(settings.timeLimitSeconds());
    double interval = settings.nemesisIntervalSeconds();
    ScheduleSpec spec = ScheduleSpec.of(FamilyEntry.parseAll(settings.nemesis()), seeds.child("schedule"), limit,
        seconds(interval * 0.5), seconds(interval * 1.5), seconds(Math.max(1, interval * 0.6)), seconds(interval * 1.6));
    return OverlapSchedule.generate(spec);
  }

  private static List<Family> families(TestSettings settings) {
    return settings.families();
  }

  private static WorkloadOptions options(TestSettings s) {
    WorkloadOptions d = WorkloadOptions.DEFAULTS;
    return new WorkloadOptions(s.keyCount(), d.keyDistribution(), d.valueBound(), d.readWeight(), d.writeWeight(), d.casWeight());
  }

  private static List<Integer> livenessKeys(TestSettings s) {
    if (s.workload().equals("register") || s.workload().equals("cas-register")) {
      List<Integer> single = new ArrayList<>();
      single.add(null);
      return single;
    }
    return IntStream.range(0, s.keyCount()).boxed().toList();
  }

  /** True once a probe read through the cluster gets an answer from the guest. */
  private static BooleanSupplier serving(TestCluster cluster, PrimaryWatchHolder watch, String clusterName) {
    watch.open(cluster.zkConnect(), clusterName, cluster.clientTls());
    int[] attempt = {0};
    return () -> {
      try (FtTransport probe = new FtTransport(watch.get(),
          new ClientTarget(cluster.zkConnect(), clusterName, Duration.ofSeconds(1)), PROBE_CLIENT_ID_BASE + attempt[0]++, false)
          .tls(watch.tls())) {
        return probe.call(new dev.lockstep.harness.workload.GuestOp(dev.lockstep.harness.workload.GuestOp.READ_LIST, 0, 0, 0))
            instanceof dev.lockstep.harness.workload.GuestResult.Reply;
      }
    };
  }

  /** True once node {@code id}'s event log says it acts as backup. */
  private static BooleanSupplier backupJoined(TestCluster cluster, String id) {
    Path events = cluster.nodeHandles().stream().filter(n -> n.id().equals(id)).findFirst()
        .map(n -> n.dataDir().resolve(RunDirectory.EVENTS_JSONL)).orElseThrow();
    return () -> hasRole(events, "backup");
  }

  static boolean hasRole(Path events, String role) {
    if (!Files.isRegularFile(events)) {
      return false;
    }
    try {
      for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
        if (line.contains("\"role\"")) {
          JsonNode node = JSON.readTree(line);
          if (role.equals(node.path("role").asText())) {
            return true;
          }
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  private static void writeSchedule(RunDirectory run, Schedule schedule) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (Map<String, Object> step : schedule.toPlain()) {
      lines.append(JSON.writeValueAsString(step)).append('\n');
    }
    Files.writeString(run.nemesisJsonl(), lines.toString(), StandardCharsets.UTF_8);
  }

  private static List<IndexReport.CheckerLine> lines(List<Result> results) {
    return results.stream().map(r -> new IndexReport.CheckerLine(r.checker(), r.verdict().label(),
        Verdicts.evidence(r))).toList();
  }

  private static Map<String, String> display(TestSettings s) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("workload", s.workload());
    m.put("nemesis", s.nemesis().isEmpty() ? "none" : String.join(",", s.nemesis()));
    m.put("time limit", s.timeLimitSeconds() + " s");
    m.put("concurrency", Integer.toString(s.concurrency()));
    m.put("rate", s.rate() + " ops/s");
    m.put("seed", Long.toString(s.seed()));
    m.put("unsafe", s.unsafe().isEmpty() ? "none" : String.join(",", s.unsafe()));
    m.put("net", s.net());
    return m;
  }

  static Duration seconds(double s) {
    return Duration.ofNanos(nanos(s));
  }

  static long nanos(double seconds) {
    return (long) (seconds * 1e9);
  }

  /** The run's one ZooKeeper watch of the primary, opened once ZooKeeper is up, closed at the end. */
  private static final class PrimaryWatchHolder implements AutoCloseable {
    private PrimaryWatch watch;
    private String connect;
    private javax.net.ssl.SSLContext tls;

    synchronized void open(String zkConnect, String cluster, javax.net.ssl.SSLContext clientTls) {
      if (watch == null) {
        connect = zkConnect;
        tls = clientTls;
        watch = new PrimaryWatch(zkConnect, cluster, WATCH_SESSION);
      }
    }

    synchronized PrimaryWatch get() {
      if (watch == null) {
        throw new IllegalStateException("the primary watch is opened once ZooKeeper runs");
      }
      return watch;
    }

    synchronized String connect() {
      return connect;
    }

    /** The clients' TLS context when the run uses TLS (they trust the run's CA only), else null. */
    synchronized javax.net.ssl.SSLContext tls() {
      return tls;
    }

    @Override
    public synchronized void close() {
      Optional.ofNullable(watch).ifPresent(PrimaryWatch::close);
    }
  }
}
