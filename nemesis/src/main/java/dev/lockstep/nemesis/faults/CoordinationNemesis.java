package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.Link;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.proxy.Fault;
import dev.lockstep.nemesis.schedule.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ZooKeeper coordination faults. {@code mode} {@code expire}: the primary's ZooKeeper links reset
 * every connection and refuse new ones until stop; a schedule holds it longer than the session timeout,
 * so ZooKeeper expires the session (not only a cut the session survives). {@code expire-golive}: kills
 * the primary, then {@code delay-ms} later does the same to the backup, which is going live. {@code
 * pause-epoch}: pauses the primary until stop, long enough for the backup to win the next epoch, so the
 * old primary resumes into an epoch it did not see. Kills and pauses keep a copy ({@link Budget}). The
 * value names the links reset under {@code reset}.
 */
final class CoordinationNemesis extends FamilyNemesis {
  private final Budget budget;
  private final LinkLayers layers;

  CoordinationNemesis(Cluster cluster, long seed, Budget budget, LinkLayers layers) {
    super(Family.COORDINATION, cluster, seed);
    this.budget = budget;
    this.layers = layers;
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    String mode = Values.string(op, value, "mode");
    Optional<String> primary = cluster.primary();
    Optional<String> backup = cluster.backup();
    Object owner = new Object();
    List<String> ids = new ArrayList<>();
    switch (mode) {
      case "expire" -> primary.ifPresent(p -> {
        value.put("reset", refuseZooKeeper(owner, p));
        ids.add(p);
      });
      case "expire-golive" -> {
        List<String> killed = primary.map(p -> budget.kill(value, List.of(p))).orElse(List.of());
        ids.addAll(killed);
        value.put("killed", killed);
        if (!killed.isEmpty() && backup.isPresent() && Pauses.between(Values.number(op, value, "delay-ms"))) {
          value.put("reset", refuseZooKeeper(owner, backup.get()));
          ids.add(backup.get());
        }
      }
      case "pause-epoch" -> {
        List<String> paused = budget.pause(value, primary.map(List::of).orElse(List.of()));
        ids.addAll(paused);
        return new Active(ids, () -> {
          paused.forEach(id -> cluster.process(id).resume());
        });
      }
      default -> throw new IllegalArgumentException(
          "op " + op.f() + ": mode must be expire, expire-golive or pause-epoch, got " + mode);
    }
    return new Active(ids, () -> layers.remove(owner));
  }

  /** Resets the node's ZooKeeper links until stop; returns their names. */
  private List<String> refuseZooKeeper(Object owner, String node) {
    List<String> reset = new ArrayList<>();
    for (Link link : cluster.links()) {
      if (link.kind() == Link.Kind.ZOOKEEPER && link.from().equals(node)) {
        layers.addBoth(owner, link.faults(), Fault.reset());
        reset.add(link.name());
      }
    }
    return reset;
  }
}
