/**
 * A ZooKeeper server as its own process, built from ZooKeeper's own server classes: the
 * {@code lockstep zk} command (standalone, or one member of an ensemble) and {@link
 * dev.lockstep.ftvm.zk.ZkProcess}, which starts and stops it as a child process for tests and the harness.
 *
 * <p>Never embeds ZooKeeper in a node's process and never touches a cluster's znodes.
 */
package dev.lockstep.ftvm.zk;
