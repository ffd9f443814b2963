package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.Link;
import dev.lockstep.nemesis.NemesisException;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.proxy.Fault;
import dev.lockstep.nemesis.schedule.Family;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resets connections on the {@code link} links ({@code logging}, {@code zookeeper}, {@code client}) of
 * {@code target}: {@code mode} {@code flaky} resets each open connection with probability
 * {@code resets-per-s} per second; {@code reset} resets every connection and refuses new ones until stop.
 * A mode the links cannot make ({@code flaky} under {@code --net netns}) is refused before any link changes.
 */
final class FlakyNemesis extends FamilyNemesis {
  private final LinkLayers layers;

  FlakyNemesis(Cluster cluster, long seed, LinkLayers layers) {
    super(Family.FLAKY, cluster, seed);
    this.layers = layers;
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    String mode = Values.string(op, value, "mode");
    Fault fault = switch (mode) {
      case "flaky" -> Fault.flaky(Math.min(1.0, ((Number) value.getOrDefault("resets-per-s", 0.5)).doubleValue()));
      case "reset" -> Fault.reset();
      default -> throw new IllegalArgumentException("op " + op.f() + ": mode must be flaky or reset, got " + mode);
    };
    String linkName = Values.string(op, value, "link");
    Link.Kind kind;
    try {
      kind = Link.Kind.valueOf(linkName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("op " + op.f() + ": link must be logging, zookeeper or client, got " + linkName, e);
    }
    List<String> ids = Targets.resolve(Values.string(op, value, "target"), cluster, random);
    List<Link> hit = cluster.links().stream().filter(l -> l.kind() == kind && ids.stream().anyMatch(l::touches)).toList();
    for (Link link : hit) {
      if (!link.faults().supports(fault)) {
        throw new NemesisException("op " + op.f() + ": link " + link.name() + " cannot make " + mode
            + " faults (--net netns: iptables cannot reset a connection at a rate; use --net proxy)");
      }
    }
    Object owner = new Object();
    for (Link link : hit) {
      layers.addBoth(owner, link.faults(), fault);
    }
    return new Active(ids, () -> layers.remove(owner));
  }
}
