package dev.lockstep.harness.report;

/**
 * A nemesis fault from its start to its stop (nanoseconds since the test began); {@code endNanos} is the
 * end of the test when it was never stopped explicitly (the final heal).
 */
public record FaultInterval(String name, long startNanos, long endNanos) {}
