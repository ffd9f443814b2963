package dev.lockstep.checkers.stats;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Checker;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ok / fail / info counts per {@code f}, latency quantiles of completed calls, throughput over
 * time, and the longest windows without an ok completion. Valid when every {@code f} has at least
 * one ok (as Jepsen's stats checker); unknown when the history has no client call at all.
 */
public final class StatsChecker implements Checker {
  public static final String NAME = "stats";
  private static final int BUCKETS_MAX = 600;
  private static final int GAPS_SHOWN_MAX = 5;
  private static final double[] QUANTILES = {0.5, 0.9, 0.99, 1.0};
  private static final double NANOS_PER_MS = 1e6;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result check(CheckInput input) {
    List<Op> ops = input.history().stream().filter(op -> !op.isNemesis() && op.process() != null).toList();
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    Map<String, List<Long>> latencies = new TreeMap<>();
    Map<Object, Op> open = new HashMap<>();
    List<long[]> completions = new ArrayList<>();
    for (Op op : ops) {
      if (op.type() == Op.Type.INVOKE) {
        open.put(op.process(), op);
        continue;
      }
      Op inv = open.remove(op.process());
      String f = String.valueOf(op.f());
      counts.computeIfAbsent(f, k -> newCounts()).merge(op.type().label(), 1L, Long::sum);
      if (inv != null && op.hasTime() && inv.hasTime() && op.type() != Op.Type.INFO) {
        latencies.computeIfAbsent(f, k -> new ArrayList<>()).add(op.time() - inv.time());
      }
      if (op.hasTime()) {
        completions.add(new long[] {op.time(), op.type().ordinal()});
      }
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("counts", counts);
    evidence.put("latency-ms", quantiles(latencies));
    long end = ops.stream().filter(Op::hasTime).mapToLong(Op::time).max().orElse(0);
    evidence.put("throughput", throughput(completions, end));
    evidence.put("longest-unavailable", gaps(completions, end));
    if (counts.isEmpty()) {
      evidence.put("reason", "the history has no completed client call");
      return Result.of(NAME, Verdict.UNKNOWN, evidence);
    }
    boolean everyFWorked = counts.values().stream().allMatch(c -> c.get("ok") > 0);
    return Result.of(NAME, everyFWorked ? Verdict.TRUE : Verdict.FALSE, evidence);
  }

  private static Map<String, Long> newCounts() {
    Map<String, Long> c = new LinkedHashMap<>();
    c.put("ok", 0L);
    c.put("fail", 0L);
    c.put("info", 0L);
    return c;
  }

  private static Map<String, Object> quantiles(Map<String, List<Long>> latencies) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Long> all = new ArrayList<>();
    latencies.forEach((f, list) -> {
      out.put(f, quantilesOf(list));
      all.addAll(list);
    });
    out.put("all", quantilesOf(all));
    return out;
  }

  private static Map<String, Object> quantilesOf(List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    Map<String, Object> out = new LinkedHashMap<>();
    for (double q : QUANTILES) {
      int i = (int) Math.ceil(q * sorted.length) - 1;
      out.put(String.valueOf(q), sorted.length == 0 ? null : sorted[Math.max(0, i)] / NANOS_PER_MS);
    }
    return out;
  }

  /** Completions per bucket of time; the bucket width keeps the list under its bound. */
  private static Map<String, Object> throughput(List<long[]> completions, long end) {
    long width = 1_000_000_000L;
    while (end / width >= BUCKETS_MAX) {
      width *= 2;
    }
    int buckets = (int) (end / width) + 1;
    long[][] perType = new long[Op.Type.values().length][buckets];
    for (long[] c : completions) {
      perType[(int) c[1]][(int) (Math.max(0, c[0]) / width)]++;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bucket-s", width / 1e9);
    out.put("ok", toList(perType[Op.Type.OK.ordinal()]));
    out.put("fail", toList(perType[Op.Type.FAIL.ordinal()]));
    out.put("info", toList(perType[Op.Type.INFO.ordinal()]));
    return out;
  }

  private static List<Long> toList(long[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  /** The longest stretches with no ok completion, including before the first and after the last. */
  private static List<Map<String, Object>> gaps(List<long[]> completions, long end) {
    List<long[]> gaps = new ArrayList<>();
    long last = 0;
    for (long[] c : completions) {
      if (c[1] == Op.Type.OK.ordinal()) {
        gaps.add(new long[] {last, c[0]});
        last = c[0];
      }
    }
    gaps.add(new long[] {last, end});
    gaps.sort((a, b) -> Long.compare(b[1] - b[0], a[1] - a[0]));
    List<Map<String, Object>> out = new ArrayList<>();
    for (long[] g : gaps.subList(0, Math.min(GAPS_SHOWN_MAX, gaps.size()))) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("from-ms", g[0] / NANOS_PER_MS);
      entry.put("to-ms", g[1] / NANOS_PER_MS);
      entry.put("ms", (g[1] - g[0]) / NANOS_PER_MS);
      out.add(entry);
    }
    return out;
  }
}
