package dev.lockstep.harness.runner;

import dev.lockstep.nemesis.process.ManagedProcess;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores redundancy the way vSphere FT does after a failure (paper §2.3): a node process that ended
 * on its own — it lost the go-live race, its ZooKeeper session, or its epoch — is started again so it
 * rejoins as backup. A node the nemesis killed stays down until the nemesis restarts it: the schedule
 * decides that. Each restart is recorded in the history as a nemesis {@code restart} info op. Bounded:
 * at most {@link #RESTARTS_MAX} restarts per node, none sooner than {@link #DEAD_NANOS_MIN} after death.
 */
public final class Supervisor implements AutoCloseable {

  /** Restarts per node at most in one run (a node that cannot join must not loop forever). */
  public static final int RESTARTS_MAX = 20;
  /** How long a node stays dead before it is restarted. */
  public static final long DEAD_NANOS_MIN = 1_000_000_000L;
  public static final long POLL_MILLIS = 250;

  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  private final List<NodeHandle> nodes;
  private final Supplier<Set<String>> heldDown;
  private final HistoryRecorder history;
  private final RunClock clock;
  private final Map<String, Long> deadSince = new HashMap<>();
  private final Map<String, Integer> restarts = new HashMap<>();
  private final ScheduledExecutorService timer;

  /**
   * @param heldDown the nodes a nemesis fault keeps down right now (killed, not yet restarted)
   */
  public Supervisor(List<NodeHandle> nodes, Supplier<Set<String>> heldDown, HistoryRecorder history, RunClock clock) {
    this.nodes = List.copyOf(nodes);
    this.heldDown = heldDown;
    this.history = history;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "supervisor");
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Restarts per node so far. */
  public synchronized Map<String, Integer> restarts() {
    return Map.copyOf(restarts);
  }

  synchronized void check() {
    Set<String> held = heldDown.get();
    for (NodeHandle n : nodes) {
      ManagedProcess p = n.process();
      if (p.isAlive() || held.contains(n.id())) {
        deadSince.remove(n.id());
        continue;
      }
      long since = deadSince.computeIfAbsent(n.id(), id -> clock.nanos());
      int done = restarts.getOrDefault(n.id(), 0);
      if (clock.nanos() - since >= DEAD_NANOS_MIN && done < RESTARTS_MAX) {
        Integer exit = exitCode(p);
        try {
          p.restart();
          restarts.put(n.id(), done + 1);
          deadSince.remove(n.id());
          history.nemesis("restart", Map.of("node", n.id(), "exit", exit == null ? -1 : exit));
        } catch (RuntimeException e) {
          LOG.warn("supervisor: cannot restart {}: {}", n.id(), e.getMessage());
        }
      }
    }
  }

  private static Integer exitCode(ManagedProcess p) {
    try {
      return p.process().isAlive() ? null : p.process().exitValue();
    } catch (IllegalThreadStateException e) {
      return null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(POLL_MILLIS * 4, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
