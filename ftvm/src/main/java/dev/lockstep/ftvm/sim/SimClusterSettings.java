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
    long hashInterval) {

  public static final long INSTRUCTIONS_PER_SECOND_DEFAULT = 200_000_000L;

  /**
   * The settings {@code lockstep test} gives its nodes: the node's defaults for the heartbeat (100 ms),
   * the failure timeout (600 ms), the ZooKeeper session (4 s) and the lag bound (100 ms), and a state
   * hash every 16,384 instructions (the guests idle in wfi between requests, so the node's default
   * interval would leave the divergence checker nothing to compare).
   */
  /** These settings with nodes executing {@code ips} guest instructions per simulated second. */
  public SimClusterSettings withInstructionsPerSecond(long ips) {
    return new SimClusterSettings(guest, runDir, unsafe, ips, heartbeatNanos, failureTimeoutNanos,
        zkSessionTimeoutNanos, lagMsMax, hashInterval);
  }

  public static SimClusterSettings defaults(String guest, Path runDir, Set<UnsafeBug> unsafe) {
    return new SimClusterSettings(guest, runDir, unsafe, INSTRUCTIONS_PER_SECOND_DEFAULT,
        100_000_000L, 600_000_000L, 4_000_000_000L, 100, 16_384);
  }
}
