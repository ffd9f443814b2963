/**
 * A node's role decisions, one code for both hosts: {@link dev.lockstep.ftvm.node.lifecycle.Lifecycle}
 * finds the cluster, boots the first epoch or joins the live primary, decides what a primary does when
 * its backup joins or is lost, runs the backup's test-and-set when its primary is lost, sets the
 * output gate's mode from ZooKeeper's connection states, reclaims an epoch after a lost session, and
 * halts. The real node ({@code node.host.Node}) and the simulated one ({@code sim.SimulatedNode}) drive
 * it through {@link dev.lockstep.ftvm.node.lifecycle.Lifecycle.Host}.
 *
 * <p>Never goes live without ZooKeeper's word (unless {@code no-golive-lock} is planted), never waits,
 * sleeps or starts a thread (when ZooKeeper does not answer, the host retries later), and never reads
 * a clock but the {@link dev.lockstep.ftvm.node.HostClock} it is given.
 */
package dev.lockstep.ftvm.node.lifecycle;
