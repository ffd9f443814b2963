/**
 * Counts, latencies, throughput and unavailability of a client history. Describes; judges only
 * whether every kind of op succeeded at least once, as Jepsen's stats checker does.
 */
package dev.lockstep.checkers.stats;
