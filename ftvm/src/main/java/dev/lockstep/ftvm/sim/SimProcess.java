package dev.lockstep.ftvm.sim;

import dev.lockstep.ftvm.node.HostClock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One simulated process: its own clock (the world's time plus an offset it may jump or drift by) and
 * the tasks it runs. A paused process runs nothing: its due tasks wait and run, late, when it resumes
 * (it then acts on stale beliefs, as a SIGSTOPped node does). A crashed process loses every task and
 * never runs again; a restart is a new {@code SimProcess}.
 */
public final class SimProcess {

  /** Unix time at the start of every simulated run, so wall stamps look like real ones and repeat. */
  public static final long EPOCH_WALL_NANOS = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

  private final Sim sim;
  private final String name;
  /** Tasks that fell due while the process was paused, with the task each came from. */
  private final List<Deferred> deferred = new ArrayList<>();
  private final List<Runnable> onCrash = new ArrayList<>();
  private long offsetNanos;
  /** How far the process's own time runs ahead of the world's while it computes (a guest slice). */
  private LongSupplier cpuAheadNanos = () -> 0;
  private boolean paused;
  private boolean crashed;

  public SimProcess(Sim sim, String name) {
    this.sim = sim;
    this.name = name;
  }

  public String name() {
    return name;
  }

  public Sim sim() {
    return sim;
  }

  private record Deferred(Sim.Task origin, Runnable action) {}

  /**
   * Runs {@code action} in this process after {@code delayNanos} of world time (later if paused).
   * Cancelling the task keeps it from running, also once it fell due during a pause.
   */
  public Sim.Task after(long delayNanos, Runnable action) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("negative delay " + delayNanos);
    }
    return at(sim.now() + delayNanos, action);
  }

  /** Runs {@code action} in this process at world time {@code due} (later if paused). */
  public Sim.Task at(long due, Runnable action) {
    Sim.Task[] origin = new Sim.Task[1];
    origin[0] = sim.at(due, () -> run(origin[0], action));
    return origin[0];
  }

  private void run(Sim.Task origin, Runnable action) {
    if (crashed || origin.cancelled()) {
      return;
    }
    if (paused) {
      // TRICKY: keep the task, not only its action: its owner may cancel it before the process resumes
      deferred.add(new Deferred(origin, action));
      return;
    }
    action.run();
  }

  public void pause() {
    if (!crashed) {
      paused = true;
    }
  }

  /** Resumes a paused process: what fell due meanwhile runs now, in its order. */
  public void resume() {
    if (!paused || crashed) {
      return;
    }
    paused = false;
    List<Deferred> late = new ArrayList<>(deferred);
    deferred.clear();
    for (Deferred d : late) {
      sim.after(0, () -> run(d.origin(), d.action()));
    }
  }

  /** Kills the process: nothing it scheduled runs any more; what watches it (its sockets) is told. */
  public void crash() {
    if (crashed) {
      return;
    }
    crashed = true;
    paused = false;
    deferred.clear();
    for (Runnable r : List.copyOf(onCrash)) {
      r.run();
    }
  }

  /** Runs {@code r} when the process crashes or exits: the kernel closes a dead process's sockets. */
  public void onCrash(Runnable r) {
    onCrash.add(r);
  }

  public boolean paused() {
    return paused;
  }

  public boolean crashed() {
    return crashed;
  }

  public boolean alive() {
    return !crashed;
  }

  /** Moves this process's clock by {@code nanos} (forward or back) from now on. */
  public void jumpClock(long nanos) {
    offsetNanos += nanos;
  }

  /**
   * While the process computes inside one task, its clocks run ahead of the world's by what {@code
   * ahead} says (the instructions executed so far at the node's speed); the task that follows is
   * scheduled that much later.
   */
  public void cpu(LongSupplier ahead) {
    this.cpuAheadNanos = ahead;
  }

  /** True time as this process lives it (no clock offset): world time plus the computing it is doing now. */
  public long trueNanos() {
    return sim.now() + cpuAheadNanos.getAsLong();
  }

  /** The process's view of time: world time plus its offset and the computing it is doing now. */
  public HostClock clock() {
    return new HostClock() {
      @Override
      public long wallMicros() {
        return wallNanos() / 1000;
      }

      @Override
      public long wallNanos() {
        return EPOCH_WALL_NANOS + sim.now() + cpuAheadNanos.getAsLong() + offsetNanos;
      }

      @Override
      public long monoNanos() {
        return sim.now() + cpuAheadNanos.getAsLong(); // monotonic: no jumps with the wall clock
      }
    };
  }
}
