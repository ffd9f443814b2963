/**
 * The store: where a run's files go and how they are written and read back — the history (JSON Lines
 * and EDN), {@code test.json} with the settings and seed, the nemesis schedule, the results. Converts the
 * runner's records to the histories module's {@link dev.lockstep.histories.Op}. Must never run a test or
 * judge one.
 */
package dev.lockstep.harness.store;
