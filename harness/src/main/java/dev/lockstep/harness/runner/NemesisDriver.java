package dev.lockstep.harness.runner;

import dev.lockstep.nemesis.Nemesis;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.schedule.Schedule;
import dev.lockstep.nemesis.schedule.ScheduleRunner;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the nemesis schedule on its own thread alongside the workers and records every action in the
 * history as a {@code process: nemesis} info op twice, as Jepsen does: when it begins (the planned
 * value) and when it is done (what it resolved to, or the error). Knows which faults are active, for the
 * status line. {@link #finish} stops the schedule and heals everything through the nemesis's teardown,
 * recorded as {@code stop-all}.
 */
public final class NemesisDriver implements ScheduleRunner.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(NemesisDriver.class);

  private final Nemesis nemesis;
  private final Schedule schedule;
  private final HistoryRecorder history;
  private final RunClock clock;
  private final Set<String> active = new LinkedHashSet<>();
  private final Set<String> killed = new LinkedHashSet<>();
  private final Set<String> onlyCopy = new LinkedHashSet<>();
  private final java.util.Map<String, Long> lastKills = new java.util.HashMap<>();
  private Thread thread;
  private int errors;

  public NemesisDriver(Nemesis nemesis, Schedule schedule, HistoryRecorder history, RunClock clock) {
    this.nemesis = nemesis;
    this.schedule = schedule;
    this.history = history;
    this.clock = clock;
  }

  public void start() {
    nemesis.setup();
    ScheduleRunner runner = new ScheduleRunner(nemesis, this, clock::nanos, ScheduleRunner.Sleeper.THREAD);
    thread = new Thread(() -> {
      try {
        runner.run(schedule, 0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "nemesis");
    thread.setDaemon(true);
    thread.start();
  }

  /** The active faults, e.g. {@code partition}; empty when none. */
  public synchronized String current() {
    return String.join(", ", active);
  }

  /** The nodes a kill fault holds down now (the nemesis restarts them when it stops). */
  public synchronized Set<String> killed() {
    return Set.copyOf(killed);
  }

  /** The run-clock time of the latest kill of each node by any fault. */
  public synchronized java.util.Map<String, Long> lastKills() {
    return java.util.Map.copyOf(lastKills);
  }

  /** Nodes a fault took while they held the only copy of the state ({@code double-failure} runs only). */
  public synchronized Set<String> onlyCopy() {
    return Set.copyOf(onlyCopy);
  }

  /** Nemesis ops that failed; each is recorded with its error and the schedule goes on. */
  public synchronized int errors() {
    return errors;
  }

  /** Stops the schedule (after the step in progress, bounded by {@code joinMillis}) and heals every fault. */
  public void finish(long joinMillis) throws InterruptedException {
    if (thread != null) {
      thread.interrupt();
      thread.join(joinMillis);
    }
    history.nemesis("stop-all", "heal");
    try {
      nemesis.teardown();
      history.nemesis("stop-all", "healed");
    } catch (RuntimeException e) {
      LOG.warn("nemesis teardown: {}", e.getMessage());
      history.nemesis("stop-all", "error: " + e.getMessage());
    }
    synchronized (this) {
      active.clear();
      killed.clear();
    }
  }

  @Override
  public void invoked(NemesisOp op) {
    history.nemesis(op.f(), op.value());
  }

  @Override
  public synchronized void completed(NemesisOp op) {
    history.nemesis(op.f(), op.value());
    if (op.isStart()) {
      active.add(op.family());
    } else if (op.isStop()) {
      active.remove(op.family());
    }
    if (op.value() instanceof java.util.Map<?, ?> value && value.get("only-copy") instanceof java.util.List<?> only) {
      only.forEach(n -> onlyCopy.add(String.valueOf(n)));
    }
    if (op.value() instanceof java.util.Map<?, ?> value) {
      Object hit = op.family().equals("kill") && op.isStart() ? value.get("nodes") : value.get("killed");
      if (hit instanceof java.util.List<?> ids) {
        ids.forEach(n -> lastKills.put(String.valueOf(n), clock.nanos()));
      }
    }
    if (op.family().equals("kill") && op.value() instanceof java.util.Map<?, ?> value
        && value.get("nodes") instanceof java.util.List<?> nodes) {
      for (Object node : nodes) {
        if (op.isStart()) {
          killed.add(String.valueOf(node));
        } else {
          killed.remove(String.valueOf(node));
        }
      }
    }
  }

  @Override
  public synchronized void failed(NemesisOp op, RuntimeException error) {
    errors++;
    LOG.warn("nemesis {}: {}", op.f(), error.getMessage());
    history.nemesis(op.f(), "error: " + error.getMessage());
  }
}
