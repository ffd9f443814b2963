package dev.lockstep.checkers;

import dev.lockstep.checkers.linear.Counterexample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merged verdict of several checkers, each one's result, and the linearizability
 * counterexample when there is one (else null).
 */
public record Summary(Verdict verdict, List<Result> results, Counterexample counterexample) {

  /** {@code {valid, <checker>: {...}, ...}}, the shape of {@code results.json}. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("valid", verdict.label());
    for (Result r : results) {
      map.put(r.checker(), r.toMap());
    }
    return map;
  }
}
