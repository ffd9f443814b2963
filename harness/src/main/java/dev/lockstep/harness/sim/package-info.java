/**
 * {@code lockstep sim}: the same workloads, generators, checkers and reports as {@code lockstep test},
 * run against a simulated cluster ({@link dev.lockstep.ftvm.sim.SimTarget}) in virtual time on one
 * thread, so a seed reproduces a run byte for byte; and swarms of seeds, each drawing its own fault mix.
 * Must never read a host clock, sleep, start a thread or iterate a hash-ordered collection inside a
 * run; only the swarm's coordinator (threads, the progress line) touches real time.
 */
package dev.lockstep.harness.sim;
