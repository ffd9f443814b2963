/**
 * The deterministic RV32IM + Zicsr machine: the hart (pre-decoding interpreter), memory, the
 * memory-mapped devices of {@code ftvm/DEVICES.md}, the ELF loader, snapshots and the state hash.
 *
 * <p>Owns every bit of guest state. It must never read a host clock, socket, file or random source:
 * every value that can differ between two runs enters through {@link dev.lockstep.ftvm.replay.HostPort}
 * (synchronous reads) or {@link dev.lockstep.ftvm.machine.Machine#deliver} (asynchronous events), so a
 * machine is a pure function of its image and its event log.
 */
package dev.lockstep.ftvm.machine;
