package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.Link;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.proxy.Direction;
import dev.lockstep.nemesis.proxy.Fault;
import dev.lockstep.nemesis.schedule.Family;
import java.util.List;
import java.util.Map;

/**
 * Cuts one direction of a link and leaves the other flowing. {@code direction}: {@code replies} (the
 * primary's client link, node → clients: requests still arrive and execute), {@code requests} (clients →
 * the primary), {@code acks} (the logging channel backup → primary: entries still flow, the output rule
 * holds every output) or {@code entries} (primary → backup: acks of old entries still arrive). The
 * backup connects to the primary's log port, so on a logging link upstream is the ack direction. The
 * value names each link and direction cut under {@code cut}.
 */
final class OneWayNemesis extends FamilyNemesis {
  private final LinkLayers layers;

  OneWayNemesis(Cluster cluster, long seed, LinkLayers layers) {
    super(Family.ONE_WAY, cluster, seed);
    this.layers = layers;
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    String direction = Values.string(op, value, "direction");
    Link.Kind kind;
    Direction cut;
    switch (direction) {
      case "replies" -> { kind = Link.Kind.CLIENT; cut = Direction.DOWNSTREAM; }
      case "requests" -> { kind = Link.Kind.CLIENT; cut = Direction.UPSTREAM; }
      case "acks" -> { kind = Link.Kind.LOGGING; cut = Direction.UPSTREAM; }
      case "entries" -> { kind = Link.Kind.LOGGING; cut = Direction.DOWNSTREAM; }
      default -> throw new IllegalArgumentException(
          "op " + op.f() + ": direction must be replies, requests, acks or entries, got " + direction);
    }
    List<String> ids = kind == Link.Kind.CLIENT ? Targets.resolve("primary", cluster, random) : cluster.nodes();
    Object owner = new Object();
    List<String> names = new java.util.ArrayList<>();
    for (Link link : cluster.links()) {
      if (link.kind() == kind && (kind == Link.Kind.LOGGING || ids.contains(link.to()))) {
        layers.add(owner, link.faults(), cut, Fault.cut());
        names.add(link.name() + " " + cut.name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    value.put("cut", names);
    return new Active(ids, () -> layers.remove(owner));
  }
}
