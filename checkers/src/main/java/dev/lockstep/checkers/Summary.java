package dev.lockstep.checkers;

import dev.lockstep.checkers.linear.Counterexample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merged verdict of several checkers, each one's result, the linearizability counterexample
 * when there is one (else null), and the nodes whose event log ended in a torn line (dropped).
 */
public record Summary(Verdict verdict, List<Result> results, Counterexample counterexample, List<String> tornEventLogs) {

  public Summary {
    results = List.copyOf(results);
    tornEventLogs = tornEventLogs == null ? List.of() : List.copyOf(tornEventLogs);
  }

  /** A summary with no torn event log. */
  public Summary(Verdict verdict, List<Result> results, Counterexample counterexample) {
    this(verdict, results, counterexample, List.of());
  }

  /** This summary with one more result merged in (the harness adds what only a live run knows). */
  public Summary with(Result extra) {
    List<Result> all = new java.util.ArrayList<>(results);
    all.add(extra);
    return new Summary(verdict.merge(extra.verdict()), all, counterexample, tornEventLogs);
  }

  /** {@code {valid, <checker>: {...}, ...}}, the shape of {@code results.json}. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("valid", verdict.label());
    if (!tornEventLogs.isEmpty()) {
      map.put("torn-event-logs", tornEventLogs);
    }
    for (Result r : results) {
      map.put(r.checker(), r.toMap());
    }
    return map;
  }
}
