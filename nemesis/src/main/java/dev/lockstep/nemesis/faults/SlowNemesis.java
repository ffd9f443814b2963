package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.Link;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.proxy.Fault;
import dev.lockstep.nemesis.schedule.Family;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A slow backup, to exercise flow control: delays both directions of every logging-channel link by
 * {@code delay-ms} ± {@code jitter-ms} and pauses the target (the backup) for {@code pause-ms} out
 * of every {@code pause-ms + run-ms}. Stop ends the cycle, continues the backup and heals the links.
 * Links that cannot delay (iptables in network namespaces) keep only the pauses; the value says so
 * under {@code delay}.
 */
final class SlowNemesis extends FamilyNemesis {
  /** Bound on waiting for the duty-cycle thread to finish at teardown. */
  static final long EXECUTOR_STOP_MS = 5_000;

  private ScheduledExecutorService executor;

  private final LinkLayers layers;

  SlowNemesis(Cluster cluster, long seed, LinkLayers layers) {
    super(Family.SLOW, cluster, seed);
    this.layers = layers;
  }

  @Override
  public void setup() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nemesis-slow-duty-cycle");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    if (executor == null) {
      throw new IllegalStateException("slow nemesis used before setup()");
    }
    Fault delay =
        Fault.delay(
            Duration.ofMillis(Values.number(op, value, "delay-ms")),
            Duration.ofMillis(Values.number(op, value, "jitter-ms")));
    String target = value.containsKey("target") ? Values.string(op, value, "target") : "backup";
    List<String> ids = Targets.resolve(target, cluster, random);
    List<DutyCycle> cycles = new ArrayList<>();
    for (String id : ids) {
      cycles.add(new DutyCycle(cluster.process(id), Values.number(op, value, "pause-ms"), Values.number(op, value, "run-ms"), executor));
    }
    Object owner = new Object();
    for (Link link : cluster.links()) {
      if (link.kind() == Link.Kind.LOGGING && link.faults().supports(delay)) {
        layers.addBoth(owner, link.faults(), delay);
      } else if (link.kind() == Link.Kind.LOGGING) {
        value.put("delay", "skipped: these links cannot delay (--net netns; this kernel has no netem)");
      }
    }
    cycles.forEach(DutyCycle::start);
    return new Active(
        ids,
        () -> {
          cycles.forEach(DutyCycle::stop);
          layers.remove(owner);
        });
  }

  @Override
  public void teardown() {
    try {
      super.teardown();
    } finally {
      if (executor != null) {
        executor.shutdownNow();
        try {
          executor.awaitTermination(EXECUTOR_STOP_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        executor = null;
      }
    }
  }
}
