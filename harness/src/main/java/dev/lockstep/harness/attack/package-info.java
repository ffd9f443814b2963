/**
 * The {@code attack} nemesis family: an outsider who reaches every port of the cluster and its
 * ZooKeeper but holds no secret ({@link dev.lockstep.harness.attack.AttackNemesis}), and the wire tap
 * on the logging channel that gives it frames to replay ({@link dev.lockstep.harness.attack.WireTap}).
 *
 * <p>Owns only its own connections. Never reads the cluster's secret or TLS key, and never heals
 * anything: every attempt must be refused by the cluster itself.
 */
package dev.lockstep.harness.attack;
