/**
 * The node event log: what each ftvm node reports about itself (outputs released, state hashes,
 * role changes, go-live attempts), as JSON Lines, and the writer and reader of that log. Owns the
 * schema only; never interprets events (that is the checkers' job).
 */
package dev.lockstep.histories.events;
