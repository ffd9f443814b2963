package dev.lockstep.harness.runner;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Checker;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.linear.LinearOptions;
import dev.lockstep.checkers.linear.LinearizabilityChecker;
import dev.lockstep.checkers.linear.Model;
import dev.lockstep.harness.workload.Workload;
import dev.lockstep.histories.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the workload's checkers on a finished run. A checker that throws contributes {@code unknown} with
 * its error and never stops the others (the checkers' own contract, enforced here once more because a
 * run must always end with a verdict).
 */
public final class Judge {

  /** Bound of the linearizability search; past it the verdict is unknown. */
  public static final Duration LINEAR_TIME_LIMIT = Duration.ofSeconds(60);

  private Judge() {}

  public static List<Result> judge(Workload workload, CheckInput input) {
    List<Result> results = new ArrayList<>();
    for (Checker checker : checkers(workload)) {
      try {
        results.add(checker.check(input));
      } catch (RuntimeException | StackOverflowError e) {
        results.add(Result.unknown(checker.name(), checker.name() + " threw " + e));
      }
    }
    return results;
  }

  static List<Checker> checkers(Workload workload) {
    Model model = Model.parse(workload.model());
    LinearOptions options = LinearOptions.of(model, System::nanoTime).withTimeLimit(LINEAR_TIME_LIMIT);
    return List.of(new LinearizabilityChecker(options));
  }

  /** The input of a run with no node logs, for a history alone. */
  public static CheckInput historyOnly(List<Op> history) {
    return CheckInput.ofHistory(history);
  }
}
