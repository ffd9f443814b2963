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
   * {@code seed}. Kills and pauses keep a copy of the cluster's state unless {@code families} holds
   * {@code double-failure}; faults on links stack ({@link LinkLayers}), so overlapping faults heal
   * independently.
   */
  public static Nemesis create(List<Family> families, Cluster cluster, long seed) {
    List<Family> basic = families.contains(Family.MIX) ? Family.basic() : families;
    Budget budget = new Budget(cluster, families.contains(Family.DOUBLE_FAILURE));
    LinkLayers layers = new LinkLayers();
    Map<String, Nemesis> byFamily = new LinkedHashMap<>();
    for (Family f : basic) {
      if (f != Family.DOUBLE_FAILURE && f != Family.MIX) {
        byFamily.put(f.label(), forFamily(f, cluster, seed, budget, layers));
      }
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
      link.faults().heal();
    }
    for (String id : cluster.nodes()) {
      cluster.process(id).resume();
      cluster.clock(id).reset();
    }
    for (String id : cluster.zkServers()) {
      cluster.process(id).resume();
    }
  }

  private static Nemesis forFamily(Family family, Cluster cluster, long seed, Budget budget, LinkLayers layers) {
    return switch (family) {
      case PARTITION -> new PartitionNemesis(cluster, seed, layers);
      case KILL -> new KillNemesis(cluster, seed, budget);
      case PAUSE -> new PauseNemesis(cluster, seed, budget);
      case SLOW -> new SlowNemesis(cluster, seed, layers);
      case CLOCK -> new ClockNemesis(cluster, seed);
      case ZK -> new ZkNemesis(cluster, seed);
      case CATCH_UP -> new CatchUpNemesis(cluster, seed, budget);
      case JOIN -> new JoinNemesis(cluster, seed, budget, layers);
      case ONE_WAY -> new OneWayNemesis(cluster, seed, layers);
      case FLAKY -> new FlakyNemesis(cluster, seed, layers);
      case COORDINATION -> new CoordinationNemesis(cluster, seed, budget, layers);
      case CLOCK_STORM -> new ClockStormNemesis(cluster, seed);
      case ATTACK -> cluster.attacker(seed);
      case MIX, DOUBLE_FAILURE -> throw new IllegalArgumentException(family + " is not a family of its own");
    };
  }
}
