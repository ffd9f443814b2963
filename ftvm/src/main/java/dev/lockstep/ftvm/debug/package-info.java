/**
 * A GDB remote-serial-protocol server over a replayed machine ({@code lockstep machine debug},
 * {@code lockstep debug}): registers, memory, breakpoints, watchpoints, step and continue, and
 * reverse-step and reverse-continue through a {@link dev.lockstep.ftvm.rewind.Rewinder}. Listens on
 * loopback only; one debugger at a time.
 *
 * <p>What it shows is the recorded execution until the debugger writes a register or memory: it then
 * says at once that the replay guarantee has ended, runs the edited machine forward on the log's
 * inputs unchecked, and returns to the recorded execution (dropping the writes, and saying so) at the
 * next seek or reverse motion.
 */
package dev.lockstep.ftvm.debug;
