package dev.lockstep.ftvm.golive;

import java.util.Optional;

/**
 * What a node asks of its cluster's coordination service: the epoch, the published primary and backup,
 * and the test-and-set that decides who goes live. {@link Coordinator} answers through a real ZooKeeper
 * (Curator); the simulator's {@code dev.lockstep.ftvm.sim.ZkTwin} answers with the same znodes and the
 * same semantics in virtual time. {@code CoordinationContract} runs the same cases on both.
 *
 * <p>Contract: {@link #tryGoLive} is one transaction that checks the epoch node's version, so of any
 * number of contenders with the same observed epoch exactly one wins, and a node that observed an older
 * epoch always loses, even when that epoch's holder is gone. When the service cannot be reached, every
 * call that needs its word throws {@link ZkUnavailableException} and decides nothing; no call ever reports
 * a win it did not get. Connection states reach the {@link ConnectionListener} given at construction:
 * SUSPENDED when contact is lost, LOST when the session (and every ephemeral record of this node) is gone,
 * RECONNECTED when contact is back (with a new session after LOST).
 */
public interface Coordination extends AutoCloseable {

  /**
   * Connects, creates the cluster's epoch node at 0 if it is new, and loads the records. May be called
   * again after it threw.
   *
   * @throws ZkUnavailableException when no connection comes up within the bound
   */
  void start() throws ZkUnavailableException;

  /** The primary currently published (from a watched local view; empty when none or not yet seen). */
  Optional<PrimaryRecord> primary();

  /** The backup currently published (from a watched local view; empty when none or not yet seen). */
  Optional<BackupRecord> backup();

  /** The cluster's epoch as last seen through the watch (0 for a new cluster). */
  long epoch();

  /**
   * The cluster's epoch read from the service now, not from the watched view.
   *
   * @throws ZkUnavailableException when the service cannot be reached
   */
  long readEpoch() throws ZkUnavailableException;

  /** This node's id. */
  String nodeId();

  /** The cluster name. */
  String cluster();

  /**
   * The test-and-set: if the cluster's epoch is still {@code observedEpoch}, one transaction checks the
   * epoch node's version, creates this node's ephemeral go-live node for {@code observedEpoch + 1} and
   * advances the epoch.
   *
   * @throws ZkUnavailableException when the service cannot be reached: no decision was made, wait and retry
   */
  GoLiveResult tryGoLive(long observedEpoch) throws ZkUnavailableException;

  /**
   * After this node's session was lost and a new one is up: takes the go-live node of {@code epoch} back
   * in the new session if {@code epoch} is still the cluster's and no other node holds it.
   *
   * @throws ZkUnavailableException when the service cannot be reached: nothing was decided, retry
   */
  Reclaim reclaimGoLive(long epoch) throws ZkUnavailableException;

  /**
   * Publishes {@code me} as primary of {@code epoch} (ephemeral, replacing any older record and this
   * node's own backup record) if {@code epoch} is current and this session holds its go-live node.
   *
   * @return false, publishing nothing, when it is not
   * @throws ZkUnavailableException when the service cannot be reached
   */
  boolean publishPrimary(NodeAddress me, long epoch) throws ZkUnavailableException;

  /**
   * Publishes {@code me} as backup of {@code epoch} (ephemeral, replacing any older record) if {@code
   * epoch} is current.
   *
   * @return false, publishing nothing, when it is not
   * @throws ZkUnavailableException when the service cannot be reached
   */
  boolean publishBackup(NodeAddress me, long epoch) throws ZkUnavailableException;

  /** Ends the session: this node's ephemeral records vanish now. */
  @Override
  void close();
}
