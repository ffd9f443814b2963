/**
 * The output rule (paper §2.2): {@link dev.lockstep.ftvm.node.outputrule.OutputGate} holds every
 * output of a primary until the backup has acked the log entry that produced it, releases in sequence
 * order, and switches between waiting for the backup, releasing alone and holding everything while the
 * node's standing in ZooKeeper is in doubt. {@link dev.lockstep.ftvm.node.outputrule.LatencySample}
 * measures what the rule costs.
 *
 * <p>Must never let an output leave before its entry is acked while a backup is attached, nor leave
 * at all while the gate is held; the only exception is the planted {@code skip-output-rule} bug.
 * Depends on nothing else of the node: it knows sequence numbers, not machines or sockets.
 */
package dev.lockstep.ftvm.node.outputrule;
