package dev.lockstep.harness.workload;

import java.util.List;
import java.util.Objects;

/**
 * The end of an invocation: its outcome, the value it returned (a read's value or list; the invoked
 * value for writes, appends and cas) and, for {@code FAIL} and {@code INFO}, a short error naming why.
 */
public record Completion(Outcome outcome, Object value, String error) {

  public Completion {
    Objects.requireNonNull(outcome, "outcome");
    if (value instanceof List<?> list) {
      value = List.copyOf(list);
    }
  }

  public static Completion ok(Object value) {
    return new Completion(Outcome.OK, value, null);
  }

  public static Completion fail(Object value, String error) {
    return new Completion(Outcome.FAIL, value, error);
  }

  public static Completion info(Object value, String error) {
    return new Completion(Outcome.INFO, value, error);
  }
}
