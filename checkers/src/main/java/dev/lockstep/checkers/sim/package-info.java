/**
 * Seeded simulations of linearizable stores that produce histories, optionally with one injected
 * anomaly; they feed the checker's tests and benchmarks. Pure functions of their spec and seed:
 * no clock, no threads, no I/O.
 */
package dev.lockstep.checkers.sim;
