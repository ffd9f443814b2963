package dev.lockstep.checkers.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Assertions for a user's JUnit tests. A failure is an {@link AssertionError} whose message is the
 * verdict and the counterexample (or why no verdict could be reached), so the test report shows why.
 *
 * <pre>{@code
 * @Test void registerIsLinearizable() {
 *   assertLinearizable(HistoryCheck.of(Path.of("target/history.jsonl")).model("cas-register"));
 * }
 * }</pre>
 */
public final class LinearizableAssertions {
  private LinearizableAssertions() {}

  /** Asserts the history checks {@code true}; returns the report. Unknown fails too. */
  public static CheckReport assertLinearizable(HistoryCheck check) {
    CheckReport report;
    try {
      report = check.run();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the history: " + e.getMessage(), e);
    }
    if (!report.valid()) {
      throw new AssertionError(report.name() + " is not known to be linearizable: " + report.text());
    }
    return report;
  }

  /** Asserts the history in {@code file} checks {@code true} against {@code model}. */
  public static CheckReport assertLinearizable(Path file, String model) {
    return assertLinearizable(HistoryCheck.of(file).model(model));
  }
}
