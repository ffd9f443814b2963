package dev.lockstep.checkers.api;

import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.ResultFiles;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.checkers.linear.Counterexample;
import dev.lockstep.checkers.linear.LinearizabilityChecker;
import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of one {@link HistoryCheck}: the verdict, the checker's evidence, the counterexample
 * when the history is not linearizable, and how long the check took (reading excluded).
 */
public record CheckReport(String name, Result result, Counterexample counterexample, Duration took) {

  public Verdict verdict() {
    return result.verdict();
  }

  /** Whether the history is linearizable. */
  public boolean valid() {
    return verdict() == Verdict.TRUE;
  }

  /** The counterexample of a non-linearizable history. */
  public Optional<Counterexample> counterexampleIfAny() {
    return Optional.ofNullable(counterexample);
  }

  /** Why the verdict is unknown (a bound reached, an op the model cannot take), else null. */
  public String reason() {
    Object reason = result.evidence().get("reason");
    return reason == null ? null : reason.toString();
  }

  /** Whether the verdict is unknown because the history does not fit the model (not a bound). */
  public boolean badInput() {
    return LinearizabilityChecker.isBadInput(result);
  }

  /** The verdict, then the counterexample or the reason, as {@code lockstep check} prints them. */
  public String text() {
    StringBuilder out = new StringBuilder(verdict().label()).append('\n');
    if (counterexample != null) {
      out.append(counterexample.text());
    } else if (reason() != null) {
      out.append("  ").append(reason()).append('\n');
    }
    return out.toString();
  }

  /** The evidence as pretty JSON. */
  public String json() {
    return ResultFiles.json(result.toMap());
  }
}
