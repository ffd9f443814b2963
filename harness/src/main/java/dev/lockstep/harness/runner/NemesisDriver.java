package dev.lockstep.harness.runner;

import dev.lockstep.nemesis.Nemesis;
import dev.lockstep.nemesis.NemesisException;
import dev.lockstep.nemesis.NemesisOp;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a nemesis schedule on its own thread alongside the workers: waits for each step's time, applies
 * it and records it in the history as a {@code process: nemesis} info op twice, as Jepsen does — once
 * when it begins (the planned value) and once when it is done (what it resolved to, or the error). Knows
 * which faults are active, for the status line. {@link #finish()} stops the schedule and heals
 * everything through the nemesis's teardown, recorded as a final {@code stop-all}.
 */
public final class NemesisDriver {

  private static final Logger LOG = LoggerFactory.getLogger(NemesisDriver.class);

  private final Nemesis nemesis;
  private final List<NemesisStep> schedule;
  private final HistoryRecorder history;
  private final RunClock clock;
  private final Set<String> active = new LinkedHashSet<>();
  private Thread thread;
  private volatile boolean stopping;
  private int errors;

  public NemesisDriver(Nemesis nemesis, List<NemesisStep> schedule, HistoryRecorder history, RunClock clock) {
    this.nemesis = nemesis;
    this.schedule = List.copyOf(schedule);
    this.history = history;
    this.clock = clock;
  }

  public void start() {
    nemesis.setup();
    thread = new Thread(this::runSchedule, "nemesis");
    thread.setDaemon(true);
    thread.start();
  }

  /** The active faults, e.g. {@code partition, kill}; empty when none. */
  public synchronized String current() {
    return String.join(", ", active);
  }

  /** Nemesis ops that threw; they are recorded with their error and the schedule goes on. */
  public synchronized int errors() {
    return errors;
  }

  /** Stops the schedule (waiting for the step in progress) and heals every fault. */
  public void finish(long joinMillis) throws InterruptedException {
    stopping = true;
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
    }
  }

  private void runSchedule() {
    try {
      for (NemesisStep step : schedule) {
        clock.sleepUntil(step.atNanos());
        if (stopping) {
          return;
        }
        apply(step.op());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void apply(NemesisOp op) {
    history.nemesis(op.f(), op.value());
    try {
      NemesisOp done = nemesis.invoke(op);
      history.nemesis(done.f(), done.value());
      synchronized (this) {
        if (op.isStart()) {
          active.add(op.family());
        } else if (op.isStop()) {
          active.remove(op.family());
        }
      }
    } catch (NemesisException | IllegalArgumentException | IllegalStateException e) {
      synchronized (this) {
        errors++;
      }
      LOG.warn("nemesis {}: {}", op.f(), e.getMessage());
      history.nemesis(op.f(), "error: " + e.getMessage());
    }
  }
}
