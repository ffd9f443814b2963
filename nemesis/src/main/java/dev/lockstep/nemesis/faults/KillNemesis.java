package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.schedule.Family;
import java.util.List;
import java.util.Map;

/** SIGKILLs targets at start, keeping a copy of the state unless double failures are allowed ({@link Budget}); restarts them through their launchers at stop (a node rejoins as backup). */
final class KillNemesis extends FamilyNemesis {
  private final Budget budget;

  KillNemesis(Cluster cluster, long seed, Budget budget) {
    super(Family.KILL, cluster, seed);
    this.budget = budget;
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    List<String> ids = budget.kill(value, Targets.resolve(Values.string(op, value, "target"), cluster, random));
    return new Active(ids, () -> ids.forEach(id -> cluster.process(id).restart()));
  }
}
