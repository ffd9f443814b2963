/**
 * Reports a person can look at, written into the run directory: {@code timeline.html} (ops per process
 * over time, faults shaded), latency and throughput plots as SVG with fault intervals, and
 * {@code index.html} linking everything with the verdicts. Self-contained files, no external scripts or
 * styles. Reads what the run recorded; must never judge a history or change a result.
 */
package dev.lockstep.harness.report;
