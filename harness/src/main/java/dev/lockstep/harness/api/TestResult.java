package dev.lockstep.harness.api;

import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one {@link LockstepTest}: the merged verdict (false > unknown > true), every checker's
 * result with its evidence (liveness included), the run directory with history, node logs, results and
 * reports, and the command that reruns the test.
 */
public record TestResult(Verdict verdict, List<Result> results, Path runDirectory, String rerunCommand, long ops) {

  public TestResult {
    results = List.copyOf(results);
  }

  public boolean valid() {
    return verdict == Verdict.TRUE;
  }

  /** The result of the checker named {@code checker} (e.g. {@code linearizable}, {@code liveness}). */
  public Optional<Result> result(String checker) {
    return results.stream().filter(r -> r.checker().equals(checker)).findFirst();
  }

  /** The checkers that found an anomaly. */
  public List<String> invalidCheckers() {
    return results.stream().filter(r -> r.verdict() == Verdict.FALSE).map(Result::checker).toList();
  }

  /** Every checker's evidence, by checker name. */
  public Map<String, Map<String, Object>> evidence() {
    java.util.LinkedHashMap<String, Map<String, Object>> m = new java.util.LinkedHashMap<>();
    results.forEach(r -> m.put(r.checker(), r.evidence()));
    return m;
  }

  /** One line for an assertion message: the verdict, the failing checkers, where to look, how to rerun. */
  public String describe() {
    return "valid? " + verdict.label() + (invalidCheckers().isEmpty() ? "" : " " + invalidCheckers())
        + "; run directory " + runDirectory + "; rerun: " + rerunCommand;
  }
}
