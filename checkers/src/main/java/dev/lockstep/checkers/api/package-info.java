/**
 * The library API for a user's own tests: read a history in any supported format, pick a model,
 * get the verdict with its counterexample ({@link dev.lockstep.checkers.api.HistoryCheck}), or
 * assert it in JUnit ({@link dev.lockstep.checkers.api.LinearizableAssertions}). Reads files and
 * the clock only when asked to check; never prints, never exits.
 */
package dev.lockstep.checkers.api;
