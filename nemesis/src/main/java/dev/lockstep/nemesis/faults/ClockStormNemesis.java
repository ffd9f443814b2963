package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.clock.OffsetControl;
import dev.lockstep.nemesis.schedule.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every node's clock moves on its own, every {@code period-ms}, until stop: {@code mode} {@code jumps}
 * moves it forward or back by up to {@code jump-ms} (a seeded draw per node and tick); {@code drift}
 * moves it at a rate drawn per node at start, up to {@code drift-ms-per-s} either way. Offsets stay within
 * ±{@link Family#CLOCK_OFFSET_MS_MAX}. Stop ends the ticks and sets every offset back to 0.
 */
final class ClockStormNemesis extends FamilyNemesis {
  private ScheduledExecutorService executor;

  ClockStormNemesis(Cluster cluster, long seed) {
    super(Family.CLOCK_STORM, cluster, seed);
  }

  @Override
  public void setup() {
    executor = Pauses.timer("nemesis-clock-storm");
  }

  /** One node's clock under the storm; ticks run on the timer thread only. */
  private static final class Walk {
    private final OffsetControl clock;
    private final SplittableRandom random;
    private final long driftNanosPerTick;

    Walk(OffsetControl clock, SplittableRandom random, long driftNanosPerTick) {
      this.clock = clock;
      this.random = random;
      this.driftNanosPerTick = driftNanosPerTick;
    }

    void tick(boolean jumps, long jumpNanos) {
      long delta = jumps ? random.nextLong(-jumpNanos, jumpNanos + 1) : driftNanosPerTick;
      long bound = Family.CLOCK_OFFSET_MS_MAX * 1_000_000L;
      clock.set(Math.max(-bound, Math.min(bound, clock.offsetNanos() + delta)));
    }
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    if (executor == null) {
      throw new IllegalStateException("clock-storm nemesis used before setup()");
    }
    String mode = Values.string(op, value, "mode");
    if (!mode.equals("jumps") && !mode.equals("drift")) {
      throw new IllegalArgumentException("op " + op.f() + ": mode must be jumps or drift, got " + mode);
    }
    long period = Values.number(op, value, "period-ms");
    if (period <= 0) {
      throw new IllegalArgumentException("op " + op.f() + ": period-ms must be > 0, got " + period);
    }
    long jumpNanos = Values.number(op, value, "jump-ms") * 1_000_000L;
    long driftMax = Values.number(op, value, "drift-ms-per-s");
    List<String> ids = cluster.nodes();
    List<Walk> walks = new ArrayList<>();
    List<Long> rates = new ArrayList<>();
    for (String id : ids) {
      long rate = random.nextLong(1, Math.max(1, driftMax) + 1) * (random.nextBoolean() ? 1 : -1);
      rates.add(rate);
      walks.add(new Walk(cluster.clock(id), random.split(), rate * 1_000_000L * period / 1000));
    }
    if (mode.equals("drift")) {
      value.put("drift-ms-per-s-by-node", rates);
    }
    boolean jumps = mode.equals("jumps");
    ScheduledFuture<?> ticks = executor.scheduleAtFixedRate(
        () -> walks.forEach(w -> w.tick(jumps, jumpNanos)), period, period, TimeUnit.MILLISECONDS);
    return new Active(ids, () -> {
      ticks.cancel(false);
      try {
        // TRICKY: a tick in progress may write after cancel; wait for it on the timer thread, then reset.
        executor.submit(() -> { }).get(Pauses.EXECUTOR_STOP_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
          | java.util.concurrent.RejectedExecutionException e) {
        // the timer is gone: no tick can follow
      }
      ids.forEach(id -> cluster.clock(id).reset());
    });
  }

  @Override
  public void teardown() {
    try {
      super.teardown();
    } finally {
      Pauses.stop(executor);
      executor = null;
    }
  }
}
