/**
 * The replaying backup: {@link dev.lockstep.ftvm.node.backup.BackupDriver} takes the entries the
 * logging channel delivers, replays them on its own machine with the machine's one
 * {@link dev.lockstep.ftvm.replay.Replayer} (the same one {@code lockstep replay} runs on a log file)
 * and acks them; its port answers every clock and random read with the primary's logged value and
 * suppresses outputs, and any difference from the log is a divergence that stops the node.
 *
 * <p>Never runs past the icount the primary vouched for, never acks an entry before it is stored
 * (unless {@code ack-before-write} is planted), never releases an output, and never waits or starts
 * a thread: the host calls {@code step()}. Whether to go live is the lifecycle's decision, not this
 * package's.
 */
package dev.lockstep.ftvm.node.backup;
