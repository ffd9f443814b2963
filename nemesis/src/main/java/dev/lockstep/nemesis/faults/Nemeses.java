package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.Link;
import dev.lockstep.nemesis.Nemesis;
import dev.lockstep.nemesis.schedule.Family;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the nemesis for a set of families over a cluster. */
public final class Nemeses {
  private Nemeses() {}

  /**
   * One nemesis handling every op of {@code families} ({@code mix} means all basic families). Its
   * random choices (which node is {@code random-node}, which ZooKeeper servers fall) come from
   * {@code seed}.
   */
  public static Nemesis create(List<Family> families, Cluster cluster, long seed) {
    List<Family> basic = families.contains(Family.MIX) ? Family.basic() : families;
    Map<String, Nemesis> byFamily = new LinkedHashMap<>();
    for (Family f : basic) {
      byFamily.put(f.label(), forFamily(f, cluster, seed));
    }
    return new CompositeNemesis(byFamily);
  }

  /**
   * Belt and braces for the end of a run, after {@link Nemesis#teardown()}: every link passes,
   * every paused process continues, every clock offset is 0. Never restarts a dead process: one
   * the nemesis killed is restarted by teardown, and one that died by itself is evidence.
   *
   * @throws dev.lockstep.nemesis.NemesisException if a process cannot be continued or a clock file written
   */
  public static void healAll(Cluster cluster) {
    for (Link link : cluster.links()) {
      link.proxy().heal();
    }
    for (String id : cluster.nodes()) {
      cluster.process(id).resume();
      cluster.clock(id).reset();
    }
    for (String id : cluster.zkServers()) {
      cluster.process(id).resume();
    }
  }

  private static Nemesis forFamily(Family family, Cluster cluster, long seed) {
    return switch (family) {
      case PARTITION -> new PartitionNemesis(cluster, seed);
      case KILL -> new KillNemesis(cluster, seed);
      case PAUSE -> new PauseNemesis(cluster, seed);
      case SLOW -> new SlowNemesis(cluster, seed);
      case CLOCK -> new ClockNemesis(cluster, seed);
      case ZK -> new ZkNemesis(cluster, seed);
      case MIX -> throw new IllegalArgumentException("mix is not a family of its own");
      case ATTACK -> cluster.attacker(seed);
    };
  }
}
