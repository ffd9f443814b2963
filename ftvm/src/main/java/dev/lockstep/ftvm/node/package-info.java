/**
 * The FT node: one primary or backup of a cluster. The node is split by role, one package each:
 * {@link dev.lockstep.ftvm.node.primary primary} (recording, the log stream, flow control),
 * {@link dev.lockstep.ftvm.node.outputrule outputrule} (the output rule: outputs wait for the backup's
 * ack), {@link dev.lockstep.ftvm.node.backup backup} (replay of the primary's log),
 * {@link dev.lockstep.ftvm.node.lifecycle lifecycle} (every role decision: find, join, go live, halt),
 * {@link dev.lockstep.ftvm.node.records records} (event log, replay log, snapshot format),
 * {@link dev.lockstep.ftvm.node.host host} (the real process: threads, sockets, ZooKeeper, files) and
 * {@link dev.lockstep.ftvm.node.bench bench}. The simulated node lives in {@code dev.lockstep.ftvm.sim}.
 *
 * <p>This package holds only what every role shares: the node's window on host time
 * ({@link dev.lockstep.ftvm.node.HostClock}), the host side of the disk, the exit codes and the bugs a
 * node can plant on purpose. It depends on no other part of the node.
 *
 * <p>Together the packages must never release an output of a primary with a backup before the backup
 * has acked the log entry of that output, never let a backup run past the icount the primary vouched
 * for, and never go live without winning the ZooKeeper test-and-set (unless an {@code --unsafe} switch
 * says so).
 */
package dev.lockstep.ftvm.node;
