package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.schedule.Family;
import java.util.List;
import java.util.Map;

/**
 * Kills or pauses ZooKeeper servers: {@code count} {@code minority} keeps the quorum of an
 * ensemble (one of three), {@code majority} loses it (two of three). With a single server both take
 * it down. Stop restarts or continues them.
 */
final class ZkNemesis extends FamilyNemesis {
  ZkNemesis(Cluster cluster, long seed) {
    super(Family.ZK, cluster, seed);
  }

  @Override
  Active start(NemesisOp op, Map<String, Object> value) {
    String mode = Values.string(op, value, "mode");
    List<String> servers = cluster.zkServers();
    int count = count(op, Values.string(op, value, "count"), servers.size());
    List<String> ids = Targets.pick(servers, count, random);
    switch (mode) {
      case "kill" -> {
        ids.forEach(id -> cluster.process(id).kill());
        return new Active(ids, () -> ids.forEach(id -> cluster.process(id).restart()));
      }
      case "pause" -> {
        ids.forEach(id -> cluster.process(id).pause());
        return new Active(ids, () -> ids.forEach(id -> cluster.process(id).resume()));
      }
      default -> throw new IllegalArgumentException("op " + op.f() + ": mode must be kill or pause, got " + mode);
    }
  }

  /** Servers to take down: a minority leaves a quorum standing, a majority does not. */
  static int count(NemesisOp op, String count, int servers) {
    return switch (count) {
      case "minority" -> Math.max(1, (servers - 1) / 2);
      case "majority" -> servers / 2 + 1;
      default -> throw new IllegalArgumentException("op " + op.f() + ": count must be minority or majority, got " + count);
    };
  }

}
