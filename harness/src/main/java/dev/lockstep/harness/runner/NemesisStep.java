package dev.lockstep.harness.runner;

import dev.lockstep.nemesis.NemesisOp;

/** One step of a nemesis schedule: wait until {@code atNanos} since the test began, then apply {@code op}. */
public record NemesisStep(long atNanos, NemesisOp op) {}
