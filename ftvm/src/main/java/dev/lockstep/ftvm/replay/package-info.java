/**
 * Events and the one port all nondeterminism crosses ({@link dev.lockstep.ftvm.replay.HostPort}), the
 * versioned checksummed replay-log format, and the machine's one replayer
 * ({@link dev.lockstep.ftvm.replay.Replayer} with its {@link dev.lockstep.ftvm.replay.ReplayPort}),
 * which a backup runs on the entries it receives and {@code lockstep machine replay} and
 * {@code lockstep replay} run on log files. Recording is the primary's job
 * ({@code node.primary.PrimaryDriver}; alone, {@code node.host.Recorder}).
 *
 * <p>Owns the boundary between the deterministic machine and the host. Nothing here reads a clock,
 * a socket or a random source, and nothing may change machine state except through
 * {@code Machine.deliver} and the port's return values.
 */
package dev.lockstep.ftvm.replay;
