package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.schedule.Family;
import java.util.List;
import java.util.Map;

/** SIGKILLs targets at start; restarts them through their launchers at stop (a node rejoins as backup). */
final class KillNemesis extends FamilyNemesis {
  KillNemesis(Cluster cluster, long seed) {
    super(Family.KILL, cluster, seed);
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    List<String> ids = Targets.resolve(Values.string(op, value, "target"), cluster, random);
    ids.forEach(id -> cluster.process(id).kill());
    return new Active(ids, () -> ids.forEach(id -> cluster.process(id).restart()));
  }
}
