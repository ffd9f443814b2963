package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.schedule.Family;
import java.util.List;
import java.util.Map;

/** SIGSTOPs targets at start, SIGCONTs them at stop. */
final class PauseNemesis extends FamilyNemesis {
  PauseNemesis(Cluster cluster, long seed) {
    super(Family.PAUSE, cluster, seed);
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    List<String> ids = Targets.resolve(Values.string(op, value, "target"), cluster, random);
    ids.forEach(id -> cluster.process(id).pause());
    return new Active(ids, () -> ids.forEach(id -> cluster.process(id).resume()));
  }
}
