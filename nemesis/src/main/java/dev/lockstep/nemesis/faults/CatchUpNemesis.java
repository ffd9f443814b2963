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
 * on under load). At stop, with {@code kill} {@code after-resume}, the backup resumes and {@code
 * kill-after-ms} later the primary is killed; with {@code while-paused}, the primary is killed while the
 * backup is stopped and the backup resumes {@code kill-after-ms} later, so it reads the entries left in
 * its socket and the close together and must go live with all of them received but unexecuted (an idle
 * guest's backlog drains in milliseconds once the backup runs, faster than any failure detector). With
 * {@code then} {@code kill-new-primary} the node going live is killed too, {@code kill-after-ms} after
 * that, while it catches up (a double failure: spared unless allowed). The stop op's value names the
 * nodes under {@code killed}; the supervisor restarts them. Teardown only resumes the backup.
 */
final class CatchUpNemesis extends FamilyNemesis {
  private final Budget budget;
  private ScheduledExecutorService executor;
  private Map<String, Object> pending;
  private List<String> pendingBackups = List.of();

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
    pendingBackups = ids;
    boolean holdPaused = whilePaused(value);
    return new Active(ids, () -> cycles.forEach(c -> c.stop(holdPaused)));
  }

  /** Whether the primary is killed while the backup is still stopped ({@code kill} is {@code while-paused}). */
  private static boolean whilePaused(Map<String, Object> value) {
    return "while-paused".equals(value.get("kill"));
  }

  @Override
  public NemesisOp invoke(NemesisOp op) {
    NemesisOp done = super.invoke(op);
    if (!op.f().equals(family.stopF()) || pending == null) {
      return done;
    }
    Map<String, Object> plan = pending;
    List<String> backups = pendingBackups;
    pending = null;
    pendingBackups = List.of();
    Map<String, Object> value = new LinkedHashMap<>(Values.map(done));
    long after = Values.number(op, plan, "kill-after-ms");
    List<String> killed = new ArrayList<>();
    Optional<String> primary = cluster.primary();
    Optional<String> goingLive = cluster.backup();
    if (whilePaused(plan)) {
      try {
        primary.ifPresent(p -> killed.addAll(budget.kill(value, List.of(p))));
        Pauses.between(after);
      } finally {
        backups.forEach(id -> cluster.process(id).resume());
      }
    } else if (!Pauses.between(after)) {
      value.put("killed", List.of());
      value.put("interrupted", true);
      return done.withValue(value);
    } else {
      primary.ifPresent(p -> killed.addAll(budget.kill(value, List.of(p))));
    }
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
    pendingBackups = List.of();
    try {
      super.teardown();
    } finally {
      Pauses.stop(executor);
      executor = null;
    }
  }
}
