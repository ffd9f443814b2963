/**
 * The op model of Jepsen ({@link dev.lockstep.histories.Op}, {@link dev.lockstep.histories.Keyword}
 * and the other EDN value types), the {@link dev.lockstep.histories.Histories} facade that reads
 * and writes whole histories in JSON Lines, JSON or EDN, the streaming {@link
 * dev.lockstep.histories.HistoryWriter} a harness appends to, and {@link
 * dev.lockstep.histories.Independent} for Jepsen's multi-key tuples. Every malformed input is a
 * {@link dev.lockstep.histories.HistoryFormatException} naming file, line and column. Depends on
 * Jackson only; never knows that a machine or a harness exists.
 */
package dev.lockstep.histories;
