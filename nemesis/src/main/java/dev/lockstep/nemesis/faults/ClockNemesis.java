package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.schedule.Family;
import java.util.List;
import java.util.Map;

/** Shifts targets' host clocks by {@code offset-ms} at start (a jump); sets the offset back to 0 at stop. */
final class ClockNemesis extends FamilyNemesis {
  ClockNemesis(Cluster cluster, long seed) {
    super(Family.CLOCK, cluster, seed);
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    List<String> ids = Targets.resolve(Values.string(op, value, "target"), cluster, random);
    long offsetNanos = Math.multiplyExact(Values.number(op, value, "offset-ms"), 1_000_000L);
    ids.forEach(id -> cluster.clock(id).set(offsetNanos));
    return new Active(ids, () -> ids.forEach(id -> cluster.clock(id).reset()));
  }
}
