/**
 * Nemesis schedules: a pure function of (families, seed, time limit, intervals) to a sequence of
 * (start fault, wait, stop fault) ops, and a runner that plays one against a
 * {@link dev.lockstep.nemesis.Nemesis}. Never touches a process, socket or clock itself except
 * through the runner's injected clock and sleeper.
 */
package dev.lockstep.nemesis.schedule;
