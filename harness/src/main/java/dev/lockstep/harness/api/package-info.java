/**
 * The Java API for users' own JUnit 5 suites: {@link dev.lockstep.harness.api.LockstepTest} builds and runs
 * one chaos test and returns a {@link dev.lockstep.harness.api.TestResult} with the verdict, the evidence
 * and the run directory. A thin, stable face over the runner; it must never grow test logic of its own.
 */
package dev.lockstep.harness.api;
