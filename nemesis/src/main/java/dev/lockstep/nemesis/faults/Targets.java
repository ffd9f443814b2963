package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Target;
import dev.lockstep.nemesis.TargetResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Resolves a target name to the ids it means now; random choices come from the caller's seeded stream. */
final class Targets {
  private Targets() {}

  static List<String> resolve(String target, TargetResolver resolver, SplittableRandom random) {
    return switch (Target.parse(target)) {
      case PRIMARY -> resolver.primary().map(List::of).orElse(List.of());
      case BACKUP -> resolver.backup().map(List::of).orElse(List.of());
      case ZK -> List.copyOf(resolver.zkServers());
      case ALL, PEER -> List.copyOf(resolver.nodes());
      case RANDOM_NODE -> pick(resolver.nodes(), 1, random);
    };
  }

  /** {@code count} distinct ids drawn from {@code ids} (all of them if fewer), in draw order. */
  static List<String> pick(List<String> ids, int count, SplittableRandom random) {
    List<String> pool = new ArrayList<>(ids);
    List<String> picked = new ArrayList<>();
    while (picked.size() < count && !pool.isEmpty()) {
      picked.add(pool.remove(random.nextInt(pool.size())));
    }
    return List.copyOf(picked);
  }
}
