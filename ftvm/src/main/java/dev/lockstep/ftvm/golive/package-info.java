/**
 * Go-live through ZooKeeper (Curator): the epoch, the one-transaction test-and-set that decides who goes
 * live, and the published primary and backup records with their addresses.
 *
 * <p>Owns the cluster's znodes under {@code /lockstep/clusters/NAME}. Never decides on its own that a
 * peer failed and never lets a node go live without ZooKeeper's word: when ZooKeeper cannot be reached
 * it throws {@link dev.lockstep.ftvm.golive.ZkUnavailableException} and the caller waits.
 *
 * <p>A node talks to the service through the {@link dev.lockstep.ftvm.golive.Coordination} interface:
 * {@link dev.lockstep.ftvm.golive.Coordinator} implements it on a real ZooKeeper, and the simulator's
 * ZooKeeper twin ({@code dev.lockstep.ftvm.sim.ZkTwin}) with the same znodes, versions, sessions and
 * connection states, held to the real one by a contract test that runs the same cases on both.
 */
package dev.lockstep.ftvm.golive;
