package dev.lockstep.ftvm.sim;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The simulated world's one clock and one queue of tasks, run on one thread. Virtual time is in
 * nanoseconds from 0; tasks due at the same time run in the order they were scheduled, so a run is a
 * pure function of the seed and the code. Every random choice of the world is drawn from {@link
 * #random()} or from a child split from it at construction time of a component, in a fixed order.
 *
 * <p>Must never read a host clock, start a thread or iterate a hash-ordered collection.
 */
public final class Sim {

  /** A scheduled task; {@link #cancel} keeps it from running. */
  public static final class Task implements Comparable<Task> {
    private final long due;
    private final long order;
    private final Runnable action;
    private boolean cancelled;

    private Task(long due, long order, Runnable action) {
      this.due = due;
      this.order = order;
      this.action = action;
    }

    public void cancel() {
      cancelled = true;
    }

    public long due() {
      return due;
    }

    public boolean cancelled() {
      return cancelled;
    }

    @Override
    public int compareTo(Task o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(order, o.order);
    }
  }

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final SplittableRandom random;
  private final long seed;
  private long now;
  private long order;
  private long tasksRun;

  public Sim(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  public long seed() {
    return seed;
  }

  /** Virtual nanoseconds since the start of the run. */
  public long now() {
    return now;
  }

  /** The world's random source: draw only from the simulation thread. */
  public SplittableRandom random() {
    return random;
  }

  /** Runs {@code action} at virtual time {@code due} (now, if that is in the past). */
  public Task at(long due, Runnable action) {
    Task t = new Task(Math.max(due, now), order++, action);
    queue.add(t);
    return t;
  }

  public Task after(long delayNanos, Runnable action) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("negative delay " + delayNanos);
    }
    return at(now + delayNanos, action);
  }

  /** Runs the next task, moving the clock to its time; false when nothing is scheduled. */
  public boolean step() {
    Task t;
    do {
      t = queue.poll();
      if (t == null) {
        return false;
      }
    } while (t.cancelled);
    now = t.due;
    tasksRun++;
    t.action.run();
    return true;
  }

  /** Runs every task due up to {@code until}, then sets the clock there. */
  public void runUntil(long until) {
    while (true) {
      Task t = queue.peek();
      if (t == null || t.due > until) {
        break;
      }
      step();
    }
    now = Math.max(now, until);
  }

  public long tasksRun() {
    return tasksRun;
  }
}
