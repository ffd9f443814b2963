package dev.lockstep.harness.sim;

import dev.lockstep.ftvm.sim.Sim;
import dev.lockstep.ftvm.sim.SimTarget;
import dev.lockstep.harness.runner.HistoryRecorder;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.Target;
import dev.lockstep.nemesis.schedule.Family;
import dev.lockstep.nemesis.schedule.Schedule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The nemesis of a simulated run: plays the seeded schedule of {@code lockstep test} (the same families
 * and drawn values) on the Sim's clock through {@link SimTarget}'s fault methods, and records every op in
 * the history twice as {@code runner.NemesisDriver} does: the planned value when it begins, the completed
 * value (with the concrete {@code nodes} a target resolved to) when it is done. A {@code stop-F} heals every
 * fault of its family; {@link #finish} heals everything, recorded as {@code stop-all}.
 *
 * <p>How the families map onto the simulated cluster: partition cuts the targets' logging channel and
 * coordination links (and their client links too when the run's mix says {@code client-cuts}); target
 * {@code zk} cuts every node's coordination link, target {@code peer} only the logging channel between them. kill / restart, pause / resume as named. slow runs the
 * target at {@code run-ms / (run-ms + pause-ms)} of its speed. clock jumps the targets' clocks by
 * {@code offset-ms} and back at stop. zk with a majority of servers down cuts every node from the
 * coordination service; with a minority down, ZooKeeper still serves, so nothing happens.
 */
final class SimNemesis {

  /** A fault in force: the nodes it hit and how to heal it. */
  /** How long after a released output a release-timed fault lands, at most. */
  static final long RELEASE_WINDOW_NANOS_MAX = 500_000;

  private record Active(String family, List<String> nodes, Runnable undo) {}

  private final SimTarget target;
  private final SplittableRandom random;
  private final HistoryRecorder history;
  private final boolean clientCuts;
  /** A kill, pause or partition of the primary lands just after its next released output. */
  private final boolean releaseTimed;
  private final Deque<Active> active = new ArrayDeque<>();
  private final List<Sim.Task> pending = new ArrayList<>();
  private final List<String> onlyCopyKills = new ArrayList<>();
  /** Nodes a catch-up slowed and nodes it killed, for {@link #finish}. */
  private final java.util.TreeSet<String> catchUpSlowed = new java.util.TreeSet<>();
  private final java.util.TreeSet<String> catchUpKilled = new java.util.TreeSet<>();
  private boolean finishing;
  /** How long after a catch-up kill the killed node restarts. */
  static final long CATCH_UP_RESTART_NANOS = 2_000_000_000L;

  SimNemesis(SimTarget target, SplittableRandom random, HistoryRecorder history, boolean clientCuts,
      boolean releaseTimed) {
    this.target = target;
    this.random = random;
    this.history = history;
    this.clientCuts = clientCuts;
    this.releaseTimed = releaseTimed;
  }

  /** Schedules every step at {@code originNanos + step.atNanos()} of the Sim's clock. */
  void play(Schedule schedule, long originNanos) {
    for (Schedule.Step step : schedule.steps()) {
      pending.add(target.sim().at(originNanos + step.atNanos(), () -> apply(step.op())));
    }
  }

  /** Nodes killed while they held the cluster's only copy of its state (a primary with no backup). */
  List<String> onlyCopyKills() {
    return List.copyOf(onlyCopyKills);
  }

  /** Cancels the steps not yet played and heals every fault. */
  void finish() {
    finishing = true;
    pending.forEach(Sim.Task::cancel);
    pending.clear();
    history.nemesis("stop-all", "heal");
    while (!active.isEmpty()) {
      active.pop().undo().run();
    }
    // a catch-up's kill and restart may still have been pending: no node stays slow or down
    catchUpSlowed.forEach(id -> target.slow(id, 1.0));
    catchUpKilled.forEach(target::restart);
    target.healNetwork();
    history.nemesis("stop-all", "healed");
  }

  private void apply(NemesisOp op) {
    history.nemesis(op.f(), op.value());
    NemesisOp done;
    try {
      done = invoke(op);
    } catch (IllegalArgumentException | IllegalStateException e) {
      history.nemesis(op.f(), "error: " + e.getMessage());
      return;
    }
    history.nemesis(done.f(), done.value());
  }

  NemesisOp invoke(NemesisOp op) {
    Map<String, Object> value = value(op);
    Family family = Family.parse(op.family());
    if (op.isStop()) {
      List<String> healed = new ArrayList<>();
      for (Active a : List.copyOf(active)) {
        if (a.family().equals(family.label())) {
          active.remove(a);
          a.undo().run();
          healed.addAll(a.nodes());
        }
      }
      return op.withValue(withNodes(value, healed));
    }
    Active a = start(family, value);
    active.push(a);
    return op.withValue(withNodes(value, a.nodes()));
  }

  private Active start(Family family, Map<String, Object> value) {
    String label = family.label();
    return switch (family) {
      case PARTITION -> partition(value);
      case KILL -> {
        List<String> ids = resolve(string(value, "target"));
        yield timed(label, ids, value, () -> kill(ids, value), () -> ids.forEach(target::restart));
      }
      case PAUSE -> {
        List<String> ids = resolve(string(value, "target"));
        yield timed(label, ids, value, () -> ids.forEach(target::pause), () -> ids.forEach(target::resume));
      }
      case SLOW -> {
        List<String> ids = resolve(string(value, "target"));
        long run = number(value, "run-ms");
        double factor = (double) run / (run + number(value, "pause-ms"));
        ids.forEach(id -> target.slow(id, factor));
        yield new Active(label, ids, () -> ids.forEach(id -> target.slow(id, 1.0)));
      }
      case CLOCK -> {
        List<String> ids = resolve(string(value, "target"));
        long nanos = number(value, "offset-ms") * 1_000_000L;
        ids.forEach(id -> target.jumpClock(id, nanos));
        yield new Active(label, ids, () -> ids.forEach(id -> target.jumpClock(id, -nanos)));
      }
      case ZK -> {
        List<String> ids = "majority".equals(value.get("count")) ? target.nodes() : List.of();
        ids.forEach(target::cutCoordination);
        yield new Active(label, ids, target::healNetwork);
      }
      case CATCH_UP -> catchUp(value);
      case MIX -> throw new IllegalArgumentException("mix is not a fault of its own");
      default -> throw new IllegalArgumentException("the simulator does not model the " + label
          + " family (it models " + Family.classic() + "); run it with lockstep test");
    };
  }

  /**
   * The backup runs slowly on a duty cycle ({@code pause-ms}, {@code run-ms}) while the primary runs on
   * under load, held back only by flow control; at the fault's end the primary dies {@code kill-after-ms}
   * later with the backup still slow, so the backup goes live with every entry it received but had not
   * executed, and catches up at full speed once it wins. The killed node restarts {@link
   * #CATCH_UP_RESTART_NANOS} later, as the supervisor of a real run restarts it.
   */
  private Active catchUp(Map<String, Object> value) {
    List<String> backups = resolve("backup");
    long run = number(value, "run-ms");
    double factor = (double) run / (run + number(value, "pause-ms"));
    backups.forEach(id -> target.slow(id, factor));
    catchUpSlowed.addAll(backups);
    long killAfter = number(value, "kill-after-ms") * 1_000_000L;
    return new Active("catch-up", backups, () -> {
      if (finishing) {
        return; // finish() restores speeds itself
      }
      String primary = target.publishedPrimary();
      pending.add(target.sim().at(target.sim().now() + killAfter, () -> {
        if (primary != null && !backups.contains(primary)) {
          Map<String, Object> kill = new java.util.TreeMap<>(Map.of("target", primary));
          kill(List.of(primary), kill);
          catchUpKilled.add(primary);
          history.nemesis("catch-up-kill", kill);
          pending.add(target.sim().at(target.sim().now() + CATCH_UP_RESTART_NANOS, () -> {
            catchUpKilled.remove(primary);
            target.restart(primary);
          }));
        }
        backups.forEach(id -> target.slow(id, 1.0));
        catchUpSlowed.removeAll(backups);
      }));
    });
  }

  private Active partition(Map<String, Object> value) {
    String name = string(value, "target");
    if (Target.parse(name) == Target.ZK) {
      List<String> all = target.nodes();
      all.forEach(target::cutCoordination);
      return new Active("partition", all, target::healNetwork);
    }
    List<String> ids = resolve(name);
    if (Target.parse(name) == Target.PEER) {
      return timed("partition", ids, value, () -> ids.forEach(id -> target.partitionPeers(id, false)), target::healNetwork);
    }
    return timed("partition", ids, value, () -> {
      for (String id : ids) {
        target.partitionPeers(id, false);
        target.cutCoordination(id);
        if (clientCuts) {
          target.partitionClients(id);
        }
      }
    }, target::healNetwork);
  }

  private void kill(List<String> ids, Map<String, Object> value) {
    List<String> only = ids.stream().filter(target::holdsOnlyCopy).toList();
    if (!only.isEmpty()) {
      value.put("only-copy", only); // a second failure before redundancy came back
      only.stream().filter(n -> !onlyCopyKills.contains(n)).forEach(onlyCopyKills::add);
    }
    ids.forEach(target::kill);
  }

  /**
   * Starts a fault at once, or, when this seed times its faults by releases and the fault hits the
   * primary, within {@link #RELEASE_WINDOW_NANOS_MAX} after the primary's next released output: the
   * moment an output rule, a catch-up or a test-and-set that is off by one entry shows. The value
   * records the delay; stopping the fault first cancels one that has not fired.
   */
  private Active timed(String label, List<String> ids, Map<String, Object> value, Runnable fault, Runnable undo) {
    String primary = target.publishedPrimary();
    if (!releaseTimed || primary == null || !ids.contains(primary)) {
      fault.run();
      return new Active(label, ids, undo);
    }
    long delay = random.nextLong(RELEASE_WINDOW_NANOS_MAX);
    value.put("after-release-us", delay / 1000);
    Runnable cancel = target.afterNextRelease(primary, delay, fault);
    return new Active(label, ids, () -> {
      cancel.run();
      undo.run();
    });
  }

  /** The nodes a target names now; random choices from the nemesis's own stream. */
  private List<String> resolve(String name) {
    String primary = target.publishedPrimary();
    return switch (Target.parse(name)) {
      case PRIMARY -> primary == null ? List.of() : List.of(primary);
      case BACKUP -> target.nodes().stream().filter(n -> !n.equals(primary)).limit(1).toList();
      case ALL, ZK, PEER -> target.nodes();
      case RANDOM_NODE -> List.of(target.nodes().get(random.nextInt(target.nodes().size())));
    };
  }

  private static Map<String, Object> value(NemesisOp op) {
    Map<String, Object> copy = new LinkedHashMap<>();
    if (op.value() instanceof Map<?, ?> m) {
      m.forEach((k, v) -> copy.put(String.valueOf(k), v));
    }
    return copy;
  }

  private static Map<String, Object> withNodes(Map<String, Object> value, List<String> ids) {
    Map<String, Object> done = new LinkedHashMap<>(value);
    done.put("nodes", List.copyOf(ids));
    return Collections.unmodifiableMap(done);
  }

  private static String string(Map<String, Object> value, String key) {
    if (!(value.get(key) instanceof String s)) {
      throw new IllegalArgumentException("nemesis value needs string '" + key + "', got " + value.get(key));
    }
    return s;
  }

  private static long number(Map<String, Object> value, String key) {
    if (!(value.get(key) instanceof Number n)) {
      throw new IllegalArgumentException("nemesis value needs number '" + key + "', got " + value.get(key));
    }
    return n.longValue();
  }
}
