/**
 * Events and the one port all nondeterminism crosses: the {@link dev.lockstep.ftvm.replay.HostPort}
 * implementations for recording and replay, the versioned checksummed replay-log format, and the
 * {@link dev.lockstep.ftvm.replay.Recorder} and {@link dev.lockstep.ftvm.replay.Replayer} drivers.
 *
 * <p>Owns the boundary between the deterministic machine and the host. Host clocks, sockets and
 * random sources are read only by {@link dev.lockstep.ftvm.replay.SystemHostEnvironment}; nothing here
 * may change machine state except through {@code Machine.deliver} and the port's return values.
 */
package dev.lockstep.ftvm.replay;
