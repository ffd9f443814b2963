/**
 * The FT node process: one primary or backup of a cluster. Owns the primary driver (recording, the
 * output rule, flow control, snapshots for a joining backup), the backup driver (replay fed from the
 * logging channel, go-live), the client-port server, the host side of the disk, control operations
 * and the node's event log.
 *
 * <p>Must never release an output of a primary with a backup before the backup has acked the log
 * entry of that output, never let a backup run past the icount the primary vouched for, and never go
 * live without winning the ZooKeeper test-and-set (unless an {@code --unsafe} switch says so).
 */
package dev.lockstep.ftvm.node;
