package dev.lockstep.harness.cli;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.harness.sim.SimSettings;
import dev.lockstep.harness.sim.SimSwarm;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The simulated side of {@code lockstep nightly}: slices of a seed swarm run between the real chaos runs,
 * each from a fresh seed base drawn from the night's seed, on the night's workloads in turn. Failing runs
 * go into the night's store ({@link SimSwarm} keeps them); this class keeps the ledger of every slice and
 * renders the summary's swarm section, in JSON and in text.
 */
final class NightlySwarm {

  /** One slice: its workload, seed base, and what its swarm reported. */
  record Slice(String workload, long firstSeed, SimSwarm.Summary summary) {}

  private final List<String> workloads;
  private final double timeLimitSeconds;
  private final int jobs;
  private final String store;
  private final SplittableRandom bases;
  private final List<Slice> slices = new ArrayList<>();

  /**
   * @param bases where every slice's seed base comes from (a child of the night's seed, so the real runs'
   *     seeds stay as they were without the swarm)
   */
  NightlySwarm(List<String> workloads, double timeLimitSeconds, int jobs, String store, SplittableRandom bases) {
    this.workloads = List.copyOf(workloads);
    this.timeLimitSeconds = timeLimitSeconds;
    this.jobs = jobs;
    this.store = store;
    this.bases = bases;
  }

  /** Checks the settings every slice will run with. */
  void validate() {
    for (String w : workloads) {
      new SimSettings(w, 0, timeLimitSeconds, List.of(), store).validate();
    }
  }

  /** Runs one slice of about {@code wallNanos}; prints one line for it and one per failing seed. */
  Slice runSlice(long wallNanos, PrintStream out) throws IOException, InterruptedException {
    String workload = workloads.get(slices.size() % workloads.size());
    long base = bases.nextLong() >>> 1;
    SimSettings settings = new SimSettings(workload, base, timeLimitSeconds, List.of(), store);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    SimSwarm.Summary s = new SimSwarm(settings, null, wallNanos, jobs, 0, 1, quiet, quiet, false).run();
    Slice slice = new Slice(workload, base, s);
    slices.add(slice);
    out.printf(Locale.ROOT, "%s\tsim-%s swarm\tseeds %d from %d\t%.2f simulated h%n", verdict(s).label(), workload,
        s.seedsRun(), base, s.simSeconds() / 3600);
    for (SimSwarm.SeedResult r : concat(s.failed(), s.unknown())) {
      out.println("  " + r.verdict() + "\tseed " + r.seed() + " " + r.checkers()
          + (r.runDirectory() == null ? "" : "\t" + r.runDirectory()));
    }
    return slice;
  }

  /** False when a seed failed, else unknown when one was undecided, else true; true before any slice. */
  Verdict verdict() {
    Verdict v = Verdict.TRUE;
    for (Slice s : slices) {
      v = v.merge(verdict(s.summary()));
    }
    return v;
  }

  private static Verdict verdict(SimSwarm.Summary s) {
    return !s.failed().isEmpty() ? Verdict.FALSE : !s.unknown().isEmpty() ? Verdict.UNKNOWN : Verdict.TRUE;
  }

  double wallSeconds() {
    return slices.stream().mapToDouble(s -> s.summary().wallSeconds()).sum();
  }

  /** The swarm section of nightly-summary.json. */
  Map<String, Object> json() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("slices", slices.size());
    doc.put("seeds", seeds());
    doc.put("simulated-hours", simSeconds() / 3600);
    doc.put("wall-seconds", wallSeconds());
    doc.put("jobs", jobs);
    doc.put("time-limit-sim-seconds", timeLimitSeconds);
    doc.put("failed", all(true).size());
    doc.put("unknown", all(false).size());
    doc.put("failures-by-checker", byChecker(all(true)));
    doc.put("undecided-by-checker", byChecker(all(false)));
    List<Map<String, Object>> list = new ArrayList<>();
    for (Slice s : slices) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("workload", s.workload());
      m.put("first-seed", s.firstSeed());
      m.put("seeds", s.summary().seedsRun());
      m.put("simulated-seconds", s.summary().simSeconds());
      m.put("wall-seconds", s.summary().wallSeconds());
      m.put("valid", verdict(s.summary()).label());
      list.add(m);
    }
    doc.put("swarm-slices", list);
    return doc;
  }

  /** The swarm section of nightly-summary.txt: totals, slices, then failures by checker with reproduce commands. */
  String text() {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "sim swarm: slices=%d seeds=%d simulated_h=%.3f wall_s=%.0f jobs=%d failed=%d unknown=%d%n",
        slices.size(), seeds(), simSeconds() / 3600, wallSeconds(), jobs, all(true).size(), all(false).size()));
    for (Slice s : slices) {
      t.append(String.format(Locale.ROOT, "  %s\tsim-%s\tseeds %d from %d\t%.0f s wall%n", verdict(s.summary()).label(),
          s.workload(), s.summary().seedsRun(), s.firstSeed(), s.summary().wallSeconds()));
    }
    section(t, "sim failures by checker", all(true));
    section(t, "sim undecided by checker", all(false));
    return t.toString();
  }

  private static void section(StringBuilder t, String title, List<SimSwarm.SeedResult> results) {
    if (results.isEmpty()) {
      t.append(title).append(": none\n");
      return;
    }
    t.append(title).append(":\n");
    for (Map.Entry<String, List<Map<String, Object>>> e : byChecker(results).entrySet()) {
      t.append("  ").append(e.getKey()).append(": ").append(e.getValue().size()).append(" seeds\n");
      for (Map<String, Object> r : e.getValue()) {
        t.append("    ").append(r.get("command"));
        if (r.containsKey("run")) {
          t.append("\t").append(r.get("run"));
        }
        t.append('\n');
      }
    }
  }

  private static Map<String, List<Map<String, Object>>> byChecker(List<SimSwarm.SeedResult> results) {
    Map<String, List<Map<String, Object>>> m = new TreeMap<>();
    for (SimSwarm.SeedResult r : results) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("seed", r.seed());
      line.put("command", r.command());
      if (r.runDirectory() != null) {
        line.put("run", r.runDirectory().toString());
      }
      if (r.error() != null) {
        line.put("error", r.error());
      }
      for (String c : r.checkers().isEmpty() ? List.of("(none named)") : r.checkers()) {
        m.computeIfAbsent(c, k -> new ArrayList<>()).add(line);
      }
    }
    return m;
  }

  private List<SimSwarm.SeedResult> all(boolean failed) {
    List<SimSwarm.SeedResult> rs = new ArrayList<>();
    for (Slice s : slices) {
      rs.addAll(failed ? s.summary().failed() : s.summary().unknown());
    }
    return rs;
  }

  private long seeds() {
    return slices.stream().mapToLong(s -> s.summary().seedsRun()).sum();
  }

  private double simSeconds() {
    return slices.stream().mapToDouble(s -> s.summary().simSeconds()).sum();
  }

  private static List<SimSwarm.SeedResult> concat(List<SimSwarm.SeedResult> a, List<SimSwarm.SeedResult> b) {
    List<SimSwarm.SeedResult> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** For the tests: a slice as if run, so the report can be checked on a failure without planting one. */
  void add(Slice slice) {
    slices.add(slice);
  }
}
