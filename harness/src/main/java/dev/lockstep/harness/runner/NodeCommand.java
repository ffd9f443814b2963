package dev.lockstep.harness.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code lockstep node ...} arguments of one node of a test. The node binds its real ports on
 * {@code host} and publishes the advertised ports in ZooKeeper: in the proxy mode the proxies' (on the
 * same host), so every client and the other node reach it through a fault proxy, and it reaches
 * ZooKeeper through its own proxy; in the netns mode its own ports on its namespace's address.
 *
 * <p>Every node of a test uses the cluster's one shared disk, {@value #SHARED_DISK_FILE} in the run
 * directory, as the paper's default arrangement (§2: primary and backup share a virtual disk): the
 * kv and append guests journal to it, so disk writes wait for the output rule and a new primary
 * reissues the request in flight.
 */
public record NodeCommand(
    String id, String cluster, String zkConnect, String guest, String host, int clientPort, int logPort,
    int advertisedClientPort, int advertisedLogPort, Path dataDir, long timeOriginNanos, List<String> unsafe, List<String> security) {

  /**
   * Instructions between two state hashes. The kv and append guests idle in wfi between requests and
   * execute only some 10^5 instructions per ten seconds of load, so the node's default (2^22) would
   * give the divergence checker nothing to compare in a short run.
   */
  public static final long HASH_INTERVAL_INSTRUCTIONS = 16_384;
  /** The cluster's shared disk, in the run directory (the nodes' data directories are runDir/nodes/ID). */
  public static final String SHARED_DISK_FILE = "shared-disk.img";

  /** The shared disk of the run whose node keeps its data in {@code dataDir}. */
  public Path sharedDisk() {
    return dataDir.toAbsolutePath().getParent().getParent().resolve(SHARED_DISK_FILE);
  }

  public List<String> args() {
    List<String> args = new ArrayList<>(List.of(
        "node",
        "--id", id,
        "--cluster", cluster,
        "--zk", zkConnect,
        "--guest", guest,
        "--host", host,
        "--client-port", Integer.toString(clientPort),
        "--log-port", Integer.toString(logPort),
        "--advertise-client-port", Integer.toString(advertisedClientPort),
        "--advertise-log-port", Integer.toString(advertisedLogPort),
        "--data", dataDir.toString(),
        "--time-origin-ns", Long.toString(timeOriginNanos),
        "--hash-interval", Long.toString(HASH_INTERVAL_INSTRUCTIONS),
        "--disk", "shared",
        "--disk-file", sharedDisk().toString()));
    args.addAll(security);
    for (String bug : unsafe) {
      args.add("--unsafe");
      args.add(bug);
    }
    return args;
  }
}
