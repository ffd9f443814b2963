/**
 * The clock fault: a file holding a clock offset in nanoseconds that the nemesis writes atomically
 * ({@link dev.lockstep.nemesis.clock.OffsetControl}) and a node's host clock adapter polls
 * ({@link dev.lockstep.nemesis.clock.OffsetReader}). Never reads or sets the host's real clock.
 */
package dev.lockstep.nemesis.clock;
