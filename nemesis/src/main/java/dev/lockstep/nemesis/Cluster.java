package dev.lockstep.nemesis;

import dev.lockstep.nemesis.clock.OffsetControl;
import dev.lockstep.nemesis.process.ManagedProcess;
import java.util.List;

/**
 * The handles a nemesis acts on, supplied by whoever started the cluster: a process per node and
 * ZooKeeper server, every proxied link, and a clock control per node.
 */
public interface Cluster extends TargetResolver {
  /**
   * The process of a node or ZooKeeper server.
   *
   * @throws IllegalArgumentException for an unknown id
   */
  ManagedProcess process(String id);

  /** Every proxied link of the test. */
  List<Link> links();

  /**
   * The clock control a node reads its host-clock offset from.
   *
   * @throws IllegalArgumentException for an unknown node
   */
  OffsetControl clock(String node);

  /**
   * The nemesis of the {@code attack} family: an outsider acting on this cluster's ZooKeeper records and
   * ports, which only whoever started the cluster knows how to reach.
   *
   * @throws IllegalArgumentException when this cluster has no attacker
   */
  default Nemesis attacker(long seed) {
    throw new IllegalArgumentException("this cluster has no attacker for the attack family");
  }

  /**
   * Whether {@code node} has taken its role (primary, or a backup that finished its join) since its
   * process last started: only then does it hold a copy of the cluster's state. Clusters that cannot
   * tell say true.
   */
  default boolean joined(String node) {
    return true;
  }
}
