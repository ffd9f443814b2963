package dev.lockstep.harness.sim;

import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import java.nio.file.Path;
import java.util.List;

/**
 * What one simulated run concluded: its settings and drawn mix, the merged verdict, each checker's result
 * (liveness included), the run directory, ops completed and simulated seconds from the start of the world.
 */
public record SimOutcome(SimSettings settings, SimMix mix, Verdict verdict, List<Result> results, Path runDirectory,
    long ops, double simSeconds) {

  public SimOutcome {
    results = List.copyOf(results);
  }

  /** 0 valid, 1 invalid, 2 unknown, as lockstep test. */
  public int exitCode() {
    return verdict.exitCode();
  }

  /** The checkers whose verdict is false, in the order they ran. */
  public List<String> failedCheckers() {
    return results.stream().filter(r -> r.verdict() == Verdict.FALSE).map(Result::checker).toList();
  }

  /** The checkers that could not decide. */
  public List<String> unknownCheckers() {
    return results.stream().filter(r -> r.verdict() == Verdict.UNKNOWN).map(Result::checker).toList();
  }

  public SimOutcome withRunDirectory(Path moved) {
    return new SimOutcome(settings, mix, verdict, results, moved, ops, simSeconds);
  }
}
