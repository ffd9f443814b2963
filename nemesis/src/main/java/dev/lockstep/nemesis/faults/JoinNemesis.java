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
 * Faults during a join (the analog of FT VMotion, paper §3.1): kills the backup and restarts it at
 * once, so it receives a snapshot of the primary and the log after it; {@code delay-ms} later, while the
 * join may still run, {@code action}: {@code kill-primary} (spared by the {@link Budget} while the new
 * backup has not joined, unless double failures are allowed), {@code cut-link} (both directions of the
 * logging channel, until stop) or {@code kill-backup} (the joining node again). The value names every
 * node killed under {@code killed}, and the links cut under {@code cut}. Stop heals the link and restarts what this fault killed and is
 * still down.
 */
final class JoinNemesis extends FamilyNemesis {
  private final Budget budget;
  private final LinkLayers layers;

  JoinNemesis(Cluster cluster, long seed, Budget budget, LinkLayers layers) {
    super(Family.JOIN, cluster, seed);
    this.budget = budget;
    this.layers = layers;
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    String action = Values.string(op, value, "action");
    long delay = Values.number(op, value, "delay-ms");
    Optional<String> primary = cluster.primary();
    Optional<String> backup = cluster.backup();
    List<String> killed = new ArrayList<>();
    Object owner = new Object();
    Active active = new Active(backup.map(List::of).orElse(List.of()), () -> {
      layers.remove(owner);
      killed.stream().distinct().filter(id -> !cluster.process(id).isAlive()).forEach(id -> cluster.process(id).restart());
    });
    if (backup.isEmpty() || budget.kill(value, List.of(backup.get())).isEmpty()) {
      value.put("killed", List.of());
      return active;
    }
    killed.add(backup.get());
    cluster.process(backup.get()).restart();
    if (!Pauses.between(delay)) {
      value.put("killed", List.copyOf(killed));
      value.put("interrupted", true);
      return active;
    }
    switch (action) {
      case "kill-primary" -> primary.ifPresent(p -> killed.addAll(budget.kill(value, List.of(p))));
      case "kill-backup" -> killed.addAll(budget.kill(value, List.of(backup.get())));
      case "cut-link" -> {
        List<String> cut = new ArrayList<>();
        for (Link link : cluster.links()) {
          if (link.kind() == Link.Kind.LOGGING) {
            layers.addBoth(owner, link.faults(), Fault.cut());
            cut.add(link.name());
          }
        }
        value.put("cut", cut);
      }
      default -> throw new IllegalArgumentException("op " + op.f() + ": action must be kill-primary, cut-link or kill-backup, got " + action);
    }
    value.put("killed", List.copyOf(killed));
    return active;
  }
}
