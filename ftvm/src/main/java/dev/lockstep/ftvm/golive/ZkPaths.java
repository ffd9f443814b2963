package dev.lockstep.ftvm.golive;

/**
 * The znodes of one cluster, shared by {@link Coordinator} and the simulator's ZooKeeper twin so both
 * keep the same tree.
 */
public final class ZkPaths {
  public static final String ROOT = "/lockstep/clusters";

  private final String base;

  public ZkPaths(String cluster) {
    if (cluster.isEmpty() || cluster.contains("/")) {
      throw new IllegalArgumentException("cluster name must be non-empty and without '/': " + cluster);
    }
    this.base = ROOT + "/" + cluster;
  }

  public String base() {
    return base;
  }

  /** Persistent; data is the epoch in decimal; its version advances with it. */
  public String epoch() {
    return base + "/epoch";
  }

  public String goLiveDir() {
    return base + "/golive";
  }

  /** Ephemeral; data is the winner's node id. Zero-padded so names sort by epoch. */
  public String goLive(long epoch) {
    return String.format("%s/golive/%020d", base, epoch);
  }

  /** Ephemeral JSON {@link PrimaryRecord}. */
  public String primary() {
    return base + "/primary";
  }

  /** Ephemeral JSON {@link BackupRecord}. */
  public String backup() {
    return base + "/backup";
  }
}
