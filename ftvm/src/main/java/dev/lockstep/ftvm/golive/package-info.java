/**
 * Go-live through ZooKeeper (Curator): the epoch, the one-transaction test-and-set that decides who goes
 * live, and the published primary and backup records with their addresses.
 *
 * <p>Owns the cluster's znodes under {@code /lockstep/clusters/NAME}. Never decides on its own that a
 * peer failed and never lets a node go live without ZooKeeper's word: when ZooKeeper cannot be reached
 * it throws {@link dev.lockstep.ftvm.golive.ZkUnavailableException} and the caller waits.
 */
package dev.lockstep.ftvm.golive;
