package dev.lockstep.harness.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Notices when overlapping faults took every copy of the cluster's state. The fault budget spares a kill
 * of the last copy, but it decides on the roles of that moment: a kill of a backup that is winning its
 * go-live at that instant, while the primary it beats halts, leaves no copy. When no node holds a copy
 * (alive and joined since it last started) within {@link #KILL_WINDOW_NANOS} after a nemesis kill, the
 * run went beyond FT's one failure at a time: recorded once in the history as a nemesis
 * {@code no-copy} info op, and a cluster unavailable after it is {@code unknown}, not a failure. A node
 * that halts on its own with no kill nearby stays a finding.
 */
public final class CopyWatch implements AutoCloseable {
  /** How long after a nemesis kill the loss of the last copy counts as that kill's doing. */
  public static final long KILL_WINDOW_NANOS = 3_000_000_000L;
  public static final long POLL_MILLIS = 100;

  private final List<String> nodes;
  private final Predicate<String> holdsCopy;
  private final Supplier<Map<String, Long>> lastKills;
  private final HistoryRecorder history;
  private final RunClock clock;
  private final Set<String> beyond = new LinkedHashSet<>();
  private final ScheduledExecutorService timer;
  private boolean armed;

  /**
   * @param holdsCopy whether a node holds a copy of the state now
   * @param lastKills the run-clock time of the latest nemesis kill of each node
   */
  public CopyWatch(List<String> nodes, Predicate<String> holdsCopy, Supplier<Map<String, Long>> lastKills,
      HistoryRecorder history, RunClock clock) {
    this.nodes = List.copyOf(nodes);
    this.holdsCopy = holdsCopy;
    this.lastKills = lastKills;
    this.history = history;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "copy-watch");
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The nodes whose kill left no copy; empty when the run stayed within one failure at a time. */
  public synchronized Set<String> beyondOneFailure() {
    return Set.copyOf(beyond);
  }

  synchronized void poll() {
    boolean any = nodes.stream().anyMatch(holdsCopy);
    if (any) {
      armed = true;
      return;
    }
    if (!armed) {
      return;
    }
    armed = false;
    long now = clock.nanos();
    List<String> killed = new ArrayList<>();
    lastKills.get().forEach((node, at) -> {
      if (now - at <= KILL_WINDOW_NANOS) {
        killed.add(node);
      }
    });
    if (!killed.isEmpty()) {
      beyond.addAll(killed);
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("killed", killed);
      value.put("reason", "no node holds a copy of the state after a kill: overlapping faults took both copies");
      history.nemesis("no-copy", value);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(POLL_MILLIS * 10, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
