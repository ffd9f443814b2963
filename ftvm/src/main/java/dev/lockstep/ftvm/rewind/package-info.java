/**
 * Travel in a recorded execution: seek to any icount of a replay log and step backwards, through
 * in-memory snapshots taken every N instructions and re-execution from the log with the machine's
 * one {@link dev.lockstep.ftvm.replay.Replayer}. The base of reverse execution in a debugger and of
 * {@code seek_ms} / {@code reverse_step_ms} in {@code lockstep bench machine}.
 *
 * <p>Never writes a log and never reads a host clock: a position is a pure function of the start
 * state, the log and the icount.
 */
package dev.lockstep.ftvm.rewind;
