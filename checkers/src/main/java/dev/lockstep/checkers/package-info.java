/**
 * Offline checkers over a stored history: linearizability, duplicate output, divergence, split-brain
 * and stats. A checker never aborts the analysis: trouble becomes an {@code unknown} verdict.
 */
package dev.lockstep.checkers;
