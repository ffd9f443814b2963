package dev.lockstep.checkers;

/**
 * A checker judges one stored run. Contract: {@link #check} is a pure function of its input, never
 * blocks on anything but CPU, and reports trouble (a bound reached, input it cannot use) as an
 * {@code unknown} result; an exception it throws is turned into {@code unknown} by {@link Checkers}.
 */
public interface Checker {

  /** A short stable name, the key of this checker's entry in {@code results.json}. */
  String name();

  /** Judges the run. */
  Result check(CheckInput input);
}
