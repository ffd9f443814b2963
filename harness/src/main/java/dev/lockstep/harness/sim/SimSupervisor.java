package dev.lockstep.harness.sim;

import dev.lockstep.ftvm.sim.Sim;
import dev.lockstep.ftvm.sim.SimTarget;
import dev.lockstep.harness.runner.HistoryRecorder;
import dev.lockstep.harness.runner.Supervisor;
import java.util.Map;
import java.util.TreeMap;

/**
 * The twin of {@link Supervisor} in virtual time: a node whose process ended on its own (it lost the
 * go-live race, its ZooKeeper session or its epoch) is started again after {@link
 * Supervisor#DEAD_NANOS_MIN}, so it rejoins as backup; a node the nemesis killed stays down until the
 * nemesis restarts it. Each restart is a nemesis {@code restart} op in the history, bounded by {@link
 * Supervisor#RESTARTS_MAX} per node, as in a real run.
 */
final class SimSupervisor {

  private static final long POLL_NANOS = Supervisor.POLL_MILLIS * 1_000_000L;

  private final SimTarget target;
  private final HistoryRecorder history;
  private final TreeMap<String, Long> deadSince = new TreeMap<>();
  private final TreeMap<String, Integer> restarts = new TreeMap<>();
  private Sim.Task next;

  SimSupervisor(SimTarget target, HistoryRecorder history) {
    this.target = target;
    this.history = history;
  }

  void start() {
    next = target.sim().after(POLL_NANOS, this::check);
  }

  void stop() {
    if (next != null) {
      next.cancel();
    }
  }

  private void check() {
    long now = target.sim().now();
    for (String node : target.nodes()) {
      int exit = target.exitCode(node);
      if (exit < 0 || exit == SimTarget.KILLED) {
        deadSince.remove(node);
        continue;
      }
      long since = deadSince.computeIfAbsent(node, n -> now);
      int done = restarts.getOrDefault(node, 0);
      if (now - since >= Supervisor.DEAD_NANOS_MIN && done < Supervisor.RESTARTS_MAX) {
        target.restart(node);
        restarts.put(node, done + 1);
        deadSince.remove(node);
        history.nemesis("restart", Map.of("node", node, "exit", exit));
      }
    }
    next = target.sim().after(POLL_NANOS, this::check);
  }
}
