/**
 * A GDB remote-serial-protocol server over a replayed machine ({@code lockstep machine debug}):
 * registers, memory, breakpoints, step and continue, and reverse-step and reverse-continue through a
 * {@link dev.lockstep.ftvm.rewind.Rewinder}. Listens on loopback only; one debugger at a time.
 *
 * <p>It never changes the machine: register and memory writes are refused, so what it shows is
 * always the recorded execution.
 */
package dev.lockstep.ftvm.debug;
