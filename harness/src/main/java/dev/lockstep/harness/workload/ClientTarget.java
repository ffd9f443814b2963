package dev.lockstep.harness.workload;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a client finds the cluster: the ZooKeeper connect string it discovers the live primary through,
 * the cluster name, and how long one call may take before it ends {@code info}.
 */
public record ClientTarget(String zkConnect, String cluster, Duration callTimeout) {

  public ClientTarget {
    Objects.requireNonNull(zkConnect, "zkConnect");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(callTimeout, "callTimeout");
  }
}
