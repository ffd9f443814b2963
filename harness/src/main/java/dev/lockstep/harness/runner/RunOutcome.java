package dev.lockstep.harness.runner;

import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import java.nio.file.Path;
import java.util.List;

/**
 * What a finished run concluded: the merged verdict, each checker's result (liveness included), the run
 * directory holding everything, the command that reruns it, and figures of the run.
 */
public record RunOutcome(
    TestSettings settings, Verdict verdict, List<Result> results, Path runDirectory, String rerunCommand,
    long ops, double seconds) {

  public RunOutcome {
    results = List.copyOf(results);
  }

  /** 0 valid, 1 invalid, 2 unknown. */
  public int exitCode() {
    return verdict.exitCode();
  }
}
