package dev.lockstep.ftvm.golive;

/** The znodes of one cluster. */
final class ZkPaths {
  static final String ROOT = "/lockstep/clusters";

  private final String base;

  ZkPaths(String cluster) {
    if (cluster.isEmpty() || cluster.contains("/")) {
      throw new IllegalArgumentException("cluster name must be non-empty and without '/': " + cluster);
    }
    this.base = ROOT + "/" + cluster;
  }

  String base() {
    return base;
  }

  /** Persistent; data is the epoch in decimal; its version advances with it. */
  String epoch() {
    return base + "/epoch";
  }

  String goLiveDir() {
    return base + "/golive";
  }

  /** Ephemeral; data is the winner's node id. Zero-padded so names sort by epoch. */
  String goLive(long epoch) {
    return String.format("%s/golive/%020d", base, epoch);
  }

  /** Ephemeral JSON {@link PrimaryRecord}. */
  String primary() {
    return base + "/primary";
  }

  /** Ephemeral JSON {@link BackupRecord}. */
  String backup() {
    return base + "/backup";
  }
}
