/**
 * The family nemeses (partition, kill, pause, slow, clock, zk) acting on a
 * {@link dev.lockstep.nemesis.Cluster}, and {@link dev.lockstep.nemesis.faults.Nemeses} that
 * composes them. Every fault a nemesis starts is remembered with its undo, so stop and teardown
 * heal exactly what was done; nothing here decides when faults happen (that is the schedule's job).
 */
package dev.lockstep.nemesis.faults;
