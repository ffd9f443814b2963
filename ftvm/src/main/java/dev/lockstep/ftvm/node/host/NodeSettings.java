package dev.lockstep.ftvm.node.host;

import dev.lockstep.ftvm.node.UnsafeBug;
import dev.lockstep.ftvm.tls.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Everything one node process is told at start.
 *
 * @param id this node's id, unique in its cluster
 * @param cluster the cluster name (ZooKeeper namespace and channel handshake)
 * @param zk the ZooKeeper connect string
 * @param guest the guest's name (kv, append, chaos) or ELF file, for logs
 * @param elf the guest image booted by the first primary
 * @param disk how the machine's disk is backed
 * @param diskFile the disk file (shared: the same for every node; local: this node's own), or null
 * @param host the address to bind and (unless advertised otherwise) to publish
 * @param clientPort the client port to bind (0: any free port)
 * @param logPort the logging-channel port to bind (0: any free port)
 * @param advertiseClientPort the client port to publish (a proxy in front of it), or 0 for the bound one
 * @param advertiseLogPort the log port to publish (a proxy in front of it), or 0 for the bound one
 * @param secret the cluster secret for the channel handshake
 * @param heartbeat heartbeat interval on the logging channel
 * @param failureTimeout silence after which the peer is declared failed
 * @param zkSessionTimeout the ZooKeeper session timeout
 * @param lagMsMax the backup lag bound (ms of guest execution) beyond which the primary slows down
 * @param hashInterval instructions between two state hashes in the event log (both roles, same icounts)
 * @param dataDir where events.jsonl, replay.log and snapshots go
 * @param unsafe planted bugs
 * @param tls TLS for the logging channel (mutual) and the client port, or null for plain TCP
 */
public record NodeSettings(
    String id,
    String cluster,
    String zk,
    String guest,
    byte[] elf,
    DiskMode disk,
    Path diskFile,
    String host,
    int clientPort,
    int logPort,
    int advertiseClientPort,
    int advertiseLogPort,
    String secret,
    Duration heartbeat,
    Duration failureTimeout,
    Duration zkSessionTimeout,
    long lagMsMax,
    long hashInterval,
    Path dataDir,
    Set<UnsafeBug> unsafe,
    Tls tls) {

  /** How the machine's disk is backed. */
  public enum DiskMode {
    /** No disk: every request fails. */
    NONE,
    /** One file for the cluster: only the live primary writes, writes obey the output rule. */
    SHARED,
    /** One file per node: the backup executes writes itself; a joining backup gets a copy. */
    LOCAL
  }

  public boolean has(UnsafeBug b) {
    return unsafe.contains(b);
  }
}
