package dev.lockstep.harness.generator;

import java.util.Objects;

/**
 * An operation together with the earliest time (nanoseconds since the test began) it may be invoked;
 * the runner waits until then. A {@code notBeforeNanos} in the past means "now".
 */
public record Scheduled(Invocation invocation, long notBeforeNanos) {

  public Scheduled {
    Objects.requireNonNull(invocation, "invocation");
  }

  public static Scheduled now(Invocation invocation) {
    return new Scheduled(invocation, 0);
  }

  public Scheduled notBefore(long nanos) {
    return new Scheduled(invocation, Math.max(notBeforeNanos, nanos));
  }
}
