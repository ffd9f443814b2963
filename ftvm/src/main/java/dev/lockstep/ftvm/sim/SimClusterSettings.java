package dev.lockstep.ftvm.sim;

import dev.lockstep.ftvm.node.UnsafeBug;
import java.nio.file.Path;
import java.util.Set;

/**
 * One simulated cluster's settings.
 *
 * @param guest the guest image name ({@code kv}, {@code append}), as {@code lockstep test} uses it
 * @param runDir the run directory: each node writes its event and replay logs under {@code nodes/<id>/}
 * @param instructionsPerSecond how fast a node executes guest instructions in virtual time
 * @param disk the cluster's disk: none, one shared by both nodes, or one per node
 */
public record SimClusterSettings(
    String guest,
    Path runDir,
    Set<UnsafeBug> unsafe,
    long instructionsPerSecond,
    long heartbeatNanos,
    long failureTimeoutNanos,
    long zkSessionTimeoutNanos,
    long lagMsMax,
    long hashInterval,
    Disk disk) {

  public static final long INSTRUCTIONS_PER_SECOND_DEFAULT = 200_000_000L;

  /** How the nodes' disks are arranged, as {@code lockstep node --disk} arranges them. */
  public enum DiskMode { NONE, SHARED, LOCAL }

  /**
   * The simulated disks: their arrangement, size, and the latency of a request (drawn uniformly per
   * request between the two bounds).
   */
  public record Disk(DiskMode mode, long sectors, long latencyNanosMin, long latencyNanosMax) {
    public static final Disk NONE = new Disk(DiskMode.NONE, 0, 0, 0);

    /** {@code mode} with the node's default size (1 MiB) and an SSD's latency (50 µs to 1 ms). */
    public static Disk of(DiskMode mode) {
      return mode == DiskMode.NONE ? NONE : new Disk(mode, 2048, 50_000, 1_000_000);
    }
  }

  /** These settings with nodes executing {@code ips} guest instructions per simulated second. */
  public SimClusterSettings withInstructionsPerSecond(long ips) {
    return new SimClusterSettings(guest, runDir, unsafe, ips, heartbeatNanos, failureTimeoutNanos,
        zkSessionTimeoutNanos, lagMsMax, hashInterval, disk);
  }

  /** These settings with the disks {@code d}. */
  public SimClusterSettings withDisk(Disk d) {
    return new SimClusterSettings(guest, runDir, unsafe, instructionsPerSecond, heartbeatNanos, failureTimeoutNanos,
        zkSessionTimeoutNanos, lagMsMax, hashInterval, d);
  }

  /**
   * The settings {@code lockstep test} gives its nodes: the node's defaults for the heartbeat (100 ms),
   * the failure timeout (600 ms), the ZooKeeper session (4 s) and the lag bound (100 ms), a state hash
   * every 16,384 instructions (the guests idle in wfi between requests, so the node's default interval
   * would leave the divergence checker nothing to compare), and no disk.
   */
  public static SimClusterSettings defaults(String guest, Path runDir, Set<UnsafeBug> unsafe) {
    return new SimClusterSettings(guest, runDir, unsafe, INSTRUCTIONS_PER_SECOND_DEFAULT,
        100_000_000L, 600_000_000L, 4_000_000_000L, 100, 16_384, Disk.NONE);
  }
}
