package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.schedule.Family;
import java.util.List;
import java.util.Map;

/** SIGSTOPs targets at start (never the only copy of the state unless double failures are allowed: {@link Budget}), SIGCONTs them at stop. */
final class PauseNemesis extends FamilyNemesis {
  private final Budget budget;

  PauseNemesis(Cluster cluster, long seed, Budget budget) {
    super(Family.PAUSE, cluster, seed);
    this.budget = budget;
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    List<String> ids = budget.pause(value, Targets.resolve(Values.string(op, value, "target"), cluster, random));
    return new Active(ids, () -> ids.forEach(id -> cluster.process(id).resume()));
  }
}
