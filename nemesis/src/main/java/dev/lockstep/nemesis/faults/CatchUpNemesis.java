package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.schedule.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Opens the catch-up window (paper §2.2: a backup going live first executes every entry it received):
 * while the fault holds, the backup runs on a duty cycle ({@code pause-ms} stopped, {@code run-ms}
 * running; each pause shorter than the failure timeout, so the primary keeps it as its backup and runs
 * on under load). At stop the backup resumes and {@code kill-after-ms} later the primary is killed, so
 * the backup must go live with many received but unexecuted entries; with {@code then}
 * {@code kill-new-primary} the node going live is killed too, {@code kill-after-ms} after that, while it
 * catches up (a double failure: spared unless allowed). The stop op's value names the nodes under
 * {@code killed}; the supervisor restarts them. Teardown only resumes the backup.
 */
final class CatchUpNemesis extends FamilyNemesis {
  private final Budget budget;
  private ScheduledExecutorService executor;
  private Map<String, Object> pending;

  CatchUpNemesis(Cluster cluster, long seed, Budget budget) {
    super(Family.CATCH_UP, cluster, seed);
    this.budget = budget;
  }

  @Override
  public void setup() {
    executor = Pauses.timer("nemesis-catch-up-duty-cycle");
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    if (executor == null) {
      throw new IllegalStateException("catch-up nemesis used before setup()");
    }
    List<String> ids = Targets.resolve("backup", cluster, random);
    List<DutyCycle> cycles = new ArrayList<>();
    for (String id : ids) {
      cycles.add(new DutyCycle(cluster.process(id), Values.number(op, value, "pause-ms"), Values.number(op, value, "run-ms"), executor));
    }
    cycles.forEach(DutyCycle::start);
    pending = ids.isEmpty() ? null : value;
    return new Active(ids, () -> cycles.forEach(DutyCycle::stop));
  }

  @Override
  public NemesisOp invoke(NemesisOp op) {
    NemesisOp done = super.invoke(op);
    if (!op.f().equals(family.stopF()) || pending == null) {
      return done;
    }
    Map<String, Object> plan = pending;
    pending = null;
    Map<String, Object> value = new LinkedHashMap<>(Values.map(done));
    long after = Values.number(op, plan, "kill-after-ms");
    List<String> killed = new ArrayList<>();
    if (!Pauses.between(after)) {
      value.put("killed", List.of());
      value.put("interrupted", true);
      return done.withValue(value);
    }
    Optional<String> primary = cluster.primary();
    Optional<String> goingLive = cluster.backup();
    primary.ifPresent(p -> killed.addAll(budget.kill(value, List.of(p))));
    if ("kill-new-primary".equals(plan.get("then")) && !killed.isEmpty() && goingLive.isPresent()) {
      if (Pauses.between(after)) {
        killed.addAll(budget.kill(value, List.of(goingLive.get())));
      }
    }
    value.put("killed", List.copyOf(killed));
    return done.withValue(value);
  }

  @Override
  public void teardown() {
    pending = null;
    try {
      super.teardown();
    } finally {
      Pauses.stop(executor);
      executor = null;
    }
  }
}
