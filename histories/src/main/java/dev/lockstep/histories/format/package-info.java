/**
 * The codecs: EDN (a reader and printer of our own, Jepsen's dialect) and JSON / JSON Lines (on
 * Jackson's streaming API; the common simple lines of JSON Lines by a byte scanner of our own that
 * defers every other line to Jackson). Owns the mapping between an op map's keys and {@link
 * dev.lockstep.histories.Op}'s fields. Never touches the file system beyond the stream it is given.
 */
package dev.lockstep.histories.format;
