package dev.lockstep.harness.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Summary;
import dev.lockstep.ftvm.node.UnsafeBug;
import dev.lockstep.ftvm.sim.Sim;
import dev.lockstep.ftvm.sim.SimClusterSettings;
import dev.lockstep.ftvm.sim.SimTarget;
import dev.lockstep.harness.generator.Generator;
import dev.lockstep.harness.generator.Invocation;
import dev.lockstep.harness.report.IndexReport;
import dev.lockstep.harness.report.RunReports;
import dev.lockstep.harness.runner.ClusterException;
import dev.lockstep.harness.runner.HistoryRecorder;
import dev.lockstep.harness.runner.Judge;
import dev.lockstep.harness.runner.Liveness;
import dev.lockstep.harness.runner.RunOutcome;
import dev.lockstep.harness.runner.Seeds;
import dev.lockstep.harness.runner.TestRunner;
import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.harness.runner.Verdicts;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.harness.store.OpConversion;
import dev.lockstep.harness.store.RunStore;
import dev.lockstep.harness.workload.Completion;
import dev.lockstep.harness.workload.FtTransport;
import dev.lockstep.harness.workload.GuestOp;
import dev.lockstep.harness.workload.GuestResult;
import dev.lockstep.harness.workload.Outcome;
import dev.lockstep.harness.workload.SimFtTransport;
import dev.lockstep.harness.workload.ValueModel;
import dev.lockstep.harness.workload.Workload;
import dev.lockstep.harness.workload.WorkloadOptions;
import dev.lockstep.harness.workload.Workloads;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.run.RunDirectory;
import dev.lockstep.nemesis.schedule.Family;
import dev.lockstep.nemesis.schedule.Schedule;
import dev.lockstep.nemesis.schedule.ScheduleSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Runs one seed end to end in virtual time, on the calling thread: run directory, simulated cluster
 * ({@link SimTargets#create}), warm-up until it serves, then the workload's clients and the nemesis
 * schedule, heal, the liveness phase, and the same judging and reports as {@code lockstep test}. The
 * history's time is virtual nanoseconds since the load began; the same seed and build give the same
 * history byte for byte. Nothing in a run is shared with another, so runs may go on in parallel threads.
 */
public final class SimRunner {

  /** Bound on the warm-up: the cluster must serve a probe within this much virtual time. */
  public static final long WARMUP_NANOS_MAX = 30_000_000_000L;
  /** Call timeout of a warm-up probe. */
  public static final long PROBE_TIMEOUT_NANOS = 1_000_000_000L;
  /** Past the time limit, how long ops in flight may still take (beyond their own retries). */
  public static final long DRAIN_SLACK_NANOS = 1_000_000_000L;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final boolean verbose;
  private boolean passingReports = true;

  /**
   * @param out where the run's first line, verdict, evidence and rerun command go
   * @param verbose whether to print them (a swarm prints only its failures)
   */
  public SimRunner(PrintStream out, boolean verbose) {
    this.out = out;
    this.verbose = verbose;
  }

  /**
   * Runs {@code settings} (validated first) into a new run directory under {@code root}.
   *
   * @throws ClusterException when the simulated cluster never served: no verdict is possible
   */
  public SimOutcome run(SimSettings settings, Path root) throws ClusterException, IOException {
    settings.validate();
    Seeds seeds = new Seeds(settings.seed());
    SimMix mix = SimMix.draw(settings.seed());
    RunDirectory run = RunDirectory.create(root, settings.testName(mix), Clock.systemUTC());
    Files.createDirectories(run.path().resolve(RunDirectory.NODES));
    Sim sim = new Sim(seeds.child("sim"));
    String guest = Workloads.guest(settings.workload());
    SimClusterSettings cluster = SimClusterSettings.defaults(guest, run.path(), bugs(settings.unsafe()))
        .withInstructionsPerSecond(settings.mips() * 1_000_000L)
        .withDisk(settings.clusterDisk());
    SimTarget target = SimTargets.create(sim, cluster);
    TestSettings shape = settings.asTestSettings(mix, target.nodes().size());
    writeTest(run, settings, mix, shape, cluster, target);
    Schedule schedule = schedule(shape, seeds);
    writeSchedule(run, schedule);
    if (verbose) {
      out.println("lockstep sim: " + settings.testName(mix) + " seed " + settings.seed() + " -> " + run.path());
    }
    long origin = warmUp(target, guest);
    HistoryRecorder history = new HistoryRecorder(() -> sim.now() - origin);
    Workload workload = Workloads.named(settings.workload(), options(), (t, id) -> {
      throw new UnsupportedOperationException("a simulated run's clients are SimFtTransports");
    });
    boolean noDedup = settings.unsafe().contains(UnsafeBug.NO_DEDUP.flag());
    long callTimeout = nanos(SimSettings.CALL_TIMEOUT_SECONDS);
    long limit = nanos(settings.timeLimitSeconds());
    Generator generator = workload.generator().rate(mix.rate()).timeLimit(limit);
    boolean lists = guest.equals("append");
    SimWorkers workers = new SimWorkers(sim, generator, seeds.random("generator"), history, () -> sim.now() - origin,
        origin, id -> new SimFtTransport(target, id, callTimeout, noDedup), lists, mix.concurrency());
    SimNemesis nemesis = new SimNemesis(target, seeds.random("nemesis"), history, mix.clientCuts(),
        mix.releaseTimed());
    nemesis.play(schedule, origin);
    SimSupervisor supervisor = new SimSupervisor(target, history);
    supervisor.start();
    workers.start();
    long drain = callTimeout * (FtTransport.NO_DEDUP_RETRIES_MAX + 1) + DRAIN_SLACK_NANOS;
    runWhile(sim, () -> !workers.finished(), origin + limit + drain);
    workers.close();
    nemesis.finish();
    Result liveness = new SimLiveness(target, history, lists, callTimeout, noDedup, workers.unusedProcess())
        .run(livenessKeys(settings.workload()), nanos(SimSettings.LIVENESS_SECONDS));
    liveness = beyondOneFailure(liveness, nemesis.onlyCopyKills());
    supervisor.stop();
    target.stop();
    return finish(settings, mix, shape, run, workload, history, liveness, sim.now() / 1e9);
  }

  /**
   * Whether a valid run gets its HTML and SVG reports (a third of a run's cost): a swarm throws valid
   * runs away, so it turns them off; every run that is kept has its reports.
   */
  public SimRunner passingReports(boolean write) {
    this.passingReports = write;
    return this;
  }

  private SimOutcome finish(SimSettings settings, SimMix mix, TestSettings shape, RunDirectory run, Workload workload,
      HistoryRecorder history, Result liveness, double simSeconds) throws IOException {
    List<Op> ops = OpConversion.toOps(history.snapshot());
    RunStore.writeHistory(run.path(), ops);
    Summary judged = Judge.judge(run, workload, liveness);
    List<IndexReport.CheckerLine> lines = judged.results().stream()
        .map(r -> new IndexReport.CheckerLine(r.checker(), r.verdict().label(), Verdicts.evidence(r))).toList();
    if (passingReports || judged.verdict() != Verdict.TRUE) {
      RunReports.write(run.path(), settings.testName(mix), ops, judged.verdict().label(), lines, display(settings, mix),
          settings.command());
    }
    HistoryRecorder.Counts c = history.counts();
    long done = c.ok() + c.fail() + c.info();
    if (verbose) {
      Verdicts.print(out, new RunOutcome(shape, judged.verdict(), judged.results(), run.path(), settings.command(), done,
          simSeconds));
    }
    return new SimOutcome(settings, mix, judged.verdict(), judged.results(), run.path(), done, simSeconds);
  }

  /** Runs the world until the cluster answers a probe; returns the Sim time the load starts at. */
  private static boolean backupAttached(SimTarget target) {
    String p = target.publishedPrimary();
    return p != null && !target.holdsOnlyCopy(p);
  }

  private static long warmUp(SimTarget target, String guest) throws ClusterException {
    Sim sim = target.sim();
    boolean[] served = {false};
    int[] attempt = {0};
    Runnable[] probe = new Runnable[1];
    probe[0] = () -> {
      SimFtTransport t = new SimFtTransport(target, TestRunner.PROBE_CLIENT_ID_BASE + attempt[0]++, PROBE_TIMEOUT_NANOS, false);
      t.call(new GuestOp(GuestOp.READ_LIST, 0, 0, 0), r -> {
        t.close();
        if (r instanceof GuestResult.Reply) {
          served[0] = true;
        } else {
          sim.after(Liveness.RETRY_NANOS, probe[0]);
        }
      });
    };
    sim.after(0, probe[0]);
    runWhile(sim, () -> !served[0], sim.now() + WARMUP_NANOS_MAX);
    if (!served[0]) {
      throw new ClusterException("the simulated " + guest + " cluster did not serve a probe within "
          + WARMUP_NANOS_MAX / 1_000_000_000L + " virtual seconds");
    }
    // as lockstep test: the load starts once the primary has its backup (faults then meet a protected guest)
    long deadline = sim.now() + WARMUP_NANOS_MAX;
    runWhile(sim, () -> !backupAttached(target), deadline);
    if (!backupAttached(target)) {
      throw new ClusterException("the simulated " + guest + " cluster's primary had no backup within "
          + WARMUP_NANOS_MAX / 1_000_000_000L + " virtual seconds");
    }
    return sim.now();
  }

  /** Steps the world while {@code going} holds, up to virtual time {@code until}. */
  static void runWhile(Sim sim, BooleanSupplier going, long until) {
    while (going.getAsBoolean() && sim.now() < until) {
      if (!sim.step()) {
        return;
      }
    }
  }

  private static Set<UnsafeBug> bugs(List<String> flags) {
    Set<UnsafeBug> bugs = EnumSet.noneOf(UnsafeBug.class);
    flags.forEach(f -> bugs.add(UnsafeBug.ofFlag(f)));
    return bugs;
  }

  /** lockstep test's schedule for these settings, from the seed's schedule child. */
  static Schedule schedule(TestSettings settings, Seeds seeds) {
    Duration limit = Duration.ofNanos(nanos(settings.timeLimitSeconds()));
    double i = settings.nemesisIntervalSeconds();
    ScheduleSpec spec = new ScheduleSpec(settings.nemesis().stream().map(Family::parse).toList(), seeds.child("schedule"),
        limit, seconds(i * 0.5), seconds(i * 1.5), seconds(Math.max(1, i * 0.6)), seconds(Math.max(1, i * 1.6)));
    return Schedule.generate(spec);
  }

  private static void writeSchedule(RunDirectory run, Schedule schedule) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (Map<String, Object> step : schedule.toPlain()) {
      lines.append(JSON.writeValueAsString(step)).append('\n');
    }
    Files.writeString(run.nemesisJsonl(), lines.toString(), StandardCharsets.UTF_8);
  }

  private static void writeTest(RunDirectory run, SimSettings settings, SimMix mix, TestSettings shape,
      SimClusterSettings cluster, SimTarget target) throws IOException {
    Map<String, Object> sim = new LinkedHashMap<>();
    sim.put("seed", settings.seed());
    sim.put("time-limit-sim-seconds", settings.timeLimitSeconds());
    sim.put("nemesis", mix.nemesis());
    sim.put("nemesis-interval-seconds", mix.nemesisIntervalSeconds());
    sim.put("concurrency", mix.concurrency());
    sim.put("rate", mix.rate());
    sim.put("client-cuts", mix.clientCuts());
    sim.put("release-timed", mix.releaseTimed());
    sim.put("cluster", target.getClass().getSimpleName());
    sim.put("nodes", target.nodes());
    sim.put("instructions-per-second", cluster.instructionsPerSecond());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", settings.testName(mix));
    doc.put("kind", "sim");
    doc.put("command", settings.command());
    doc.put("settings", shape);
    doc.put("sim", sim);
    RunStore.writeJson(run.testJson(), doc);
  }

  private static Map<String, String> display(SimSettings s, SimMix mix) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("world", "simulated (virtual time)");
    m.put("workload", s.workload());
    m.put("nemesis", mix.nemesis().isEmpty() ? "none" : String.join(",", mix.nemesis()) + (mix.clientCuts() ? " (+client cuts)" : "")
        + (mix.releaseTimed() ? " (timed by releases)" : ""));
    m.put("time limit", SimSettings.number(s.timeLimitSeconds()) + " simulated s");
    m.put("concurrency", Integer.toString(mix.concurrency()));
    m.put("rate", SimSettings.number(mix.rate()) + " ops/s");
    m.put("seed", Long.toString(s.seed()));
    m.put("unsafe", s.unsafe().isEmpty() ? "none" : String.join(",", s.unsafe()));
    return m;
  }

  private static WorkloadOptions options() {
    WorkloadOptions d = WorkloadOptions.DEFAULTS;
    return new WorkloadOptions(SimSettings.KEY_COUNT, d.keyDistribution(), d.valueBound(), d.readWeight(),
        d.writeWeight(), d.casWeight());
  }

  /**
   * FT survives one failure at a time (paper §2.3): a kill of a primary that had no backup yet takes
   * the only copy of the cluster's state, and no node may serve after it without losing acknowledged
   * writes. A cluster that stays unavailable after such a kill is then no finding: its liveness is
   * unknown, with the kills named. The safety checkers judge the run as ever.
   */
  static Result beyondOneFailure(Result liveness, List<String> onlyCopyKills) {
    if (liveness.verdict() != Verdict.FALSE || onlyCopyKills.isEmpty()) {
      return liveness;
    }
    Map<String, Object> evidence = new LinkedHashMap<>(liveness.evidence());
    evidence.put("reason", "the nemesis killed " + onlyCopyKills + " while it was a primary with no backup (the only"
        + " copy of the cluster's state): a second failure before redundancy was restored; then: "
        + liveness.evidence().get("reason"));
    return Result.of(liveness.checker(), Verdict.UNKNOWN, evidence);
  }

  private static List<Integer> livenessKeys(String workload) {
    if (workload.equals("register") || workload.equals("cas-register")) {
      List<Integer> single = new ArrayList<>();
      single.add(null);
      return single;
    }
    return IntStream.range(0, SimSettings.KEY_COUNT).boxed().toList();
  }

  static long nanos(double seconds) {
    return (long) (seconds * 1e9);
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(nanos(s));
  }

  /**
   * The liveness phase of {@code runner.Liveness} in virtual time: a fresh process reads every key until
   * each read ends ok; after an info it goes on as the next process, after a fail it retries shortly.
   */
  private static final class SimLiveness {
    private final SimTarget target;
    private final Sim sim;
    private final HistoryRecorder history;
    private final boolean lists;
    private final long callTimeout;
    private final boolean noDedup;
    private int process;
    private SimFtTransport client;
    private List<Integer> pending;
    private long deadline;
    private int attempts;
    private String lastError = "no attempt";

    SimLiveness(SimTarget target, HistoryRecorder history, boolean lists, long callTimeout, boolean noDedup,
        int firstProcess) {
      this.target = target;
      this.sim = target.sim();
      this.history = history;
      this.lists = lists;
      this.callTimeout = callTimeout;
      this.noDedup = noDedup;
      this.process = firstProcess;
    }

    Result run(List<Integer> keys, long boundNanos) {
      long start = sim.now();
      deadline = start + boundNanos;
      pending = new ArrayList<>(keys);
      client = new SimFtTransport(target, process + 1, callTimeout, noDedup);
      boolean[] idle = {false};
      sim.after(0, () -> next(idle));
      runWhile(sim, () -> !idle[0], deadline + callTimeout * (FtTransport.NO_DEDUP_RETRIES_MAX + 1) + DRAIN_SLACK_NANOS);
      client.close();
      return Liveness.result(pending.isEmpty(), keys.size() - pending.size(), keys.size(), attempts, sim.now() - start,
          boundNanos, lastError);
    }

    private void next(boolean[] idle) {
      if (pending.isEmpty() || sim.now() >= deadline) {
        idle[0] = true;
        return;
      }
      Invocation read = Invocation.read(pending.get(0));
      int p = process;
      history.invoke(p, read);
      client.call(ValueModel.request(read, lists), result -> {
        Completion done = ValueModel.complete(read, result);
        history.complete(p, read, done);
        attempts++;
        if (done.outcome() == Outcome.OK) {
          pending.remove(0);
          next(idle);
          return;
        }
        lastError = done.error();
        if (done.outcome() == Outcome.INFO) {
          client.close();
          process++;
          client = new SimFtTransport(target, process + 1, callTimeout, noDedup);
          next(idle);
        } else {
          sim.after(Liveness.RETRY_NANOS, () -> next(idle));
        }
      });
    }
  }
}
