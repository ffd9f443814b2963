package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.Link;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.Target;
import dev.lockstep.nemesis.proxy.Fault;
import dev.lockstep.nemesis.schedule.Family;
import java.util.List;
import java.util.Map;

/**
 * Isolates targets from the other cluster members by cutting both directions of their logging and
 * ZooKeeper links; client links stay up. Target {@code zk} cuts every node-to-ZooKeeper link; target
 * {@code peer} only the logging links between the nodes, so each node still reaches ZooKeeper and its
 * clients, sees its peer fall silent on its own failure timeout, and contends (the split-brain the
 * test-and-set exists for). The value names the links cut under {@code cut}.
 */
final class PartitionNemesis extends FamilyNemesis {
  private final LinkLayers layers;

  PartitionNemesis(Cluster cluster, long seed, LinkLayers layers) {
    super(Family.PARTITION, cluster, seed);
    this.layers = layers;
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    String target = Values.string(op, value, "target");
    List<String> ids = Targets.resolve(target, cluster, random);
    Object owner = new Object();
    List<String> cut = new java.util.ArrayList<>();
    for (Link link : cluster.links()) {
      if (isolates(link, ids, Target.parse(target))) {
        layers.addBoth(owner, link.faults(), Fault.cut());
        cut.add(link.name());
      }
    }
    value.put("cut", cut);
    return new Active(ids, () -> layers.remove(owner));
  }

  private static boolean isolates(Link link, List<String> ids, Target target) {
    if (target == Target.ZK) {
      return link.kind() == Link.Kind.ZOOKEEPER;
    }
    if (target == Target.PEER) {
      return link.kind() == Link.Kind.LOGGING;
    }
    return link.kind() != Link.Kind.CLIENT && ids.stream().anyMatch(link::touches);
  }
}
