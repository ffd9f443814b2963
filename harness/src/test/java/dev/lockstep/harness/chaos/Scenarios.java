package dev.lockstep.harness.chaos;

import dev.lockstep.harness.api.LockstepTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The chaos scenarios of the integration tests: a workload, a nemesis family and a fixed seed. The
 * planted-bug tests run some of the same scenarios with a bug, so a scenario's run without the bug is
 * the control that must stay valid. Durations come from {@code -Dlockstep.chaos.seconds} (15 by
 * default, 120 under {@code -Pchaos-long}, which also runs the full matrix).
 */
final class Scenarios {

  /** A workload against one nemesis family with a fixed seed and a client call timeout. */
  record Scenario(String workload, String family, long seed, double callTimeoutSeconds) {
    Scenario(String workload, String family, long seed) {
      this(workload, family, seed, 2.0);
    }

    @Override
    public String toString() {
      return workload + " x " + family;
    }
  }

  /** Partitions the primary twice (seed chosen for it): failover, then failover back. */
  static final Scenario CAS_PARTITION = new Scenario("cas-register", "partition", 71);
  /** Partitions the backup, then every node from ZooKeeper. */
  static final Scenario CAS_PARTITION_ZK = new Scenario("cas-register", "partition", 1001);
  static final Scenario CAS_KILL = new Scenario("cas-register", "kill", 1002);
  /** The same kills (one lane: the same schedule) without the one-copy budget. */
  static final Scenario CAS_KILL_DOUBLE = new Scenario("cas-register", "kill,double-failure", 1002);
  static final Scenario CAS_CLOCK = new Scenario("cas-register", "clock", 1003);
  static final Scenario APPEND_PAUSE = new Scenario("append", "pause", 1005);
  /**
   * A slowed logging channel and a duty-cycled backup hold outputs longer than these short calls, so
   * clients retry while the first request is still on its way (what no-dedup gets wrong).
   */
  static final Scenario APPEND_SLOW = new Scenario("append", "slow", 1006, 0.5);
  static final Scenario APPEND_ZK = new Scenario("append", "zk", 1007);
  static final Scenario CAS_MIX = new Scenario("cas-register", "mix", 1008);
  /** An outsider without the secret, while the cluster runs over TLS. */
  static final Scenario CAS_ATTACK = new Scenario("cas-register", "attack", 1009);

  /** Every family added for composed faults at once: two lanes overlap them (about 15 s by default). */
  static final Scenario APPEND_COMPOSED =
      new Scenario("append", "catch-up,join,one-way,flaky,coordination,clock-storm", 1009);

  private static final List<String> FAMILIES = List.of("partition", "kill", "pause", "slow", "clock", "zk", "mix",
      "catch-up", "join", "one-way", "flaky", "coordination", "clock-storm", "attack");

  private Scenarios() {}

  /**
   * Every nemesis family once, alternating cas-register and append (eight runs, about three and a half minutes);
   * under {@code -Pchaos-long} every family against both workloads.
   */
  static List<Scenario> families() {
    if (!longRuns()) {
      return List.of(CAS_PARTITION, CAS_KILL, CAS_CLOCK, APPEND_PAUSE, APPEND_SLOW, APPEND_ZK, CAS_MIX, CAS_ATTACK);
    }
    List<Scenario> all = new ArrayList<>();
    long seed = 2001;
    for (String workload : List.of("cas-register", "append")) {
      for (String family : FAMILIES) {
        all.add(new Scenario(workload, family, seed++));
      }
    }
    return all;
  }

  static boolean longRuns() {
    return Boolean.getBoolean("lockstep.chaos.long");
  }

  static Duration load() {
    return Duration.ofSeconds(Long.getLong("lockstep.chaos.seconds", 15));
  }

  static LockstepTest.Builder builder(Scenario s) {
    return LockstepTest.builder()
        .workload(s.workload())
        .nemesis(s.family().split(","))
        .seed(s.seed())
        .timeLimit(load())
        .concurrency(4)
        .rate(40)
        .nemesisInterval(Duration.ofSeconds(3))
        .callTimeout(Duration.ofMillis((long) (s.callTimeoutSeconds() * 1000)))
        .store(Path.of(System.getProperty("lockstep.chaos.store", "target/chaos-runs")));
  }
}
