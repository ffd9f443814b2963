package dev.lockstep.ftvm.golive;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's view of its cluster in ZooKeeper: the epoch, the published primary and backup, and the
 * test-and-set that decides who goes live.
 *
 * <p>Contract: {@link #tryGoLive} is one ZooKeeper transaction, so of any number of contenders with the
 * same observed epoch exactly one wins, and a node that observed an older epoch (say, paused through a
 * whole epoch) always loses. When ZooKeeper cannot be reached within the bound, every call that needs its
 * word throws {@link ZkUnavailableException}; none of them ever reports a win it did not get.
 */
public final class Coordinator implements Coordination {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  /** Retries of one ZooKeeper operation on connection loss, inside Curator. */
  public static final int RETRIES_MAX = 1;
  public static final Duration RETRY_SLEEP = Duration.ofMillis(100);
  /** Attempts of a publish that races with a record vanishing underneath it. */
  private static final int PUBLISH_ATTEMPTS_MAX = 3;
  private static final Duration CONNECTION_TIMEOUT_MIN = Duration.ofMillis(500);

  private final String zkConnect;
  private final String cluster;
  private final String nodeId;
  private final ZkPaths paths;
  private final Duration sessionTimeout;
  private final ConnectionListener listener;
  private final ZkAuth auth;
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
  private CuratorFramework client;
  private CuratorCache cache;
  private final CountDownLatch cacheLoaded = new CountDownLatch(1);

  /**
   * @param zkConnect ZooKeeper connect string, {@code host:port[,host:port...]}
   * @param sessionTimeout ZooKeeper session timeout: how long after losing contact this node's ephemeral
   *     records (and its go-live node) survive; also bounds how long a call waits for a connection
   */
  public Coordinator(String zkConnect, String cluster, String nodeId, Duration sessionTimeout, ConnectionListener l) {
    this(zkConnect, cluster, nodeId, sessionTimeout, l, null);
  }

  /**
   * @param auth the cluster's credential: the session authenticates with it and every znode of the
   *     cluster it creates carries its ACL (only the cluster's nodes may change them, anyone may read);
   *     null for open znodes, as in tests of the protocol alone
   */
  public Coordinator(String zkConnect, String cluster, String nodeId, Duration sessionTimeout, ConnectionListener l,
      ZkAuth auth) {
    this.auth = auth;
    this.zkConnect = Objects.requireNonNull(zkConnect, "zkConnect");
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.paths = new ZkPaths(cluster);
    this.sessionTimeout = Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    this.listener = l == null ? ConnectionListener.NONE : l;
  }

  /** Runs {@code r} (on Curator's thread; return quickly) whenever the epoch, primary or backup record changes. */
  public void onChange(Runnable r) {
    changeListeners.add(r);
  }

  /**
   * Connects, creates the cluster's epoch node at 0 if it is new, and loads the records. May be called
   * again after it threw: it goes on with the same ZooKeeper client.
   *
   * @throws ZkUnavailableException when no connection comes up within the session timeout
   */
  @Override
  public synchronized void start() throws ZkUnavailableException {
    // An operation waits this long for a lost connection to come back, per try: a call without
    // ZooKeeper gives up within about one session timeout and the caller decides what to do next.
    Duration half = sessionTimeout.dividedBy(2);
    Duration connectionTimeout = half.compareTo(CONNECTION_TIMEOUT_MIN) < 0 ? CONNECTION_TIMEOUT_MIN : half;
    Duration startBound = sessionTimeout.compareTo(CONNECTION_TIMEOUT_MIN) < 0 ? CONNECTION_TIMEOUT_MIN : sessionTimeout;
    if (client == null) {
      CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder()
          .connectString(zkConnect)
          .sessionTimeoutMs((int) sessionTimeout.toMillis())
          .connectionTimeoutMs((int) connectionTimeout.toMillis())
          .retryPolicy(new RetryNTimes(RETRIES_MAX, (int) RETRY_SLEEP.toMillis()));
      if (auth != null) {
        b.authorization(ZkAuth.SCHEME, auth.authBytes()).aclProvider(auth.aclProvider(paths));
      }
      client = b.build();
      client.getConnectionStateListenable().addListener((c, state) -> forward(state));
      client.start();
    }
    try {
      if (!client.blockUntilConnected((int) startBound.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new ZkUnavailableException("ZooKeeper at " + zkConnect + " not reachable within "
            + startBound.toMillis() + " ms", null);
      }
      ensureEpochNode();
      if (auth != null) {
        secureClusterNodes();
      }
      startCache(startBound);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZkUnavailableException("interrupted while connecting to ZooKeeper at " + zkConnect, e);
    }
  }

  /** The primary currently published (from a watched local view; empty when none or not yet seen). */
  @Override
  public Optional<PrimaryRecord> primary() {
    return cached(paths.primary(), PrimaryRecord.class);
  }

  /** The backup currently published (from a watched local view; empty when none or not yet seen). */
  @Override
  public Optional<BackupRecord> backup() {
    return cached(paths.backup(), BackupRecord.class);
  }

  /** The cluster's epoch as last seen through the watch (0 for a new cluster). */
  @Override
  public long epoch() {
    if (cache == null) {
      return 0;
    }
    return cache.get(paths.epoch()).map(d -> parseEpoch(d.getData())).orElse(0L);
  }

  /**
   * The cluster's epoch read from ZooKeeper now, not from the watched view.
   *
   * @throws ZkUnavailableException when ZooKeeper cannot be reached
   */
  @Override
  public long readEpoch() throws ZkUnavailableException {
    try {
      return parseEpoch(client.getData().forPath(paths.epoch()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZkUnavailableException("interrupted while reading the epoch", e);
    } catch (Exception e) {
      throw unavailable("reading the epoch", e);
    }
  }

  /** This node's id. */
  @Override
  public String nodeId() {
    return nodeId;
  }

  /** The cluster name. */
  @Override
  public String cluster() {
    return cluster;
  }

  /**
   * The test-and-set: if the cluster's epoch is still {@code observedEpoch}, one transaction checks the
   * epoch node's version, creates this node's ephemeral go-live node for {@code observedEpoch + 1} and
   * advances the epoch. Exactly one contender for an epoch wins.
   *
   * @throws ZkUnavailableException when ZooKeeper cannot be reached: no decision was made, wait and retry
   */
  @Override
  public GoLiveResult tryGoLive(long observedEpoch) throws ZkUnavailableException {
    try {
      // TRICKY: the go-live directory is a container; the server deletes it once its last go-live node
      // is gone, and the transaction's create would then fail with NoNode on every try
      client.createContainers(paths.goLiveDir());
      Stat stat = new Stat();
      long current = parseEpoch(client.getData().storingStatIn(stat).forPath(paths.epoch()));
      if (current != observedEpoch) {
        return lost(current, "epoch is " + current + ", not the observed " + observedEpoch);
      }
      long next = current + 1;
      try {
        client.transaction().forOperations(
            client.transactionOp().check().withVersion(stat.getVersion()).forPath(paths.epoch()),
            client.transactionOp().create().withMode(CreateMode.EPHEMERAL)
                .forPath(paths.goLive(next), utf8(nodeId)),
            client.transactionOp().setData().withVersion(stat.getVersion()).forPath(paths.epoch(), utf8(Long.toString(next))));
        LOG.info("go-live: node '{}' won epoch {} of cluster '{}'", nodeId, next, cluster);
        return new GoLiveResult.Won(next);
      } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
        // TRICKY: Curator may have retried a transaction that did commit before the connection dropped;
        // then the retry fails although this node won. The go-live node's owner session tells.
        if (ownsGoLive(next)) {
          LOG.info("go-live: node '{}' won epoch {} of cluster '{}' (confirmed after a retry)", nodeId, next, cluster);
          return new GoLiveResult.Won(next);
        }
        long now = parseEpoch(client.getData().forPath(paths.epoch()));
        return lost(now, "another node advanced the epoch first");
      }
    } catch (KeeperException e) {
      throw unavailable("go-live for epoch " + (observedEpoch + 1), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZkUnavailableException("interrupted during go-live", e);
    } catch (ZkUnavailableException e) {
      throw e;
    } catch (Exception e) {
      throw unavailable("go-live for epoch " + (observedEpoch + 1), e);
    }
  }

  /**
   * After this node's ZooKeeper session was lost (its ephemeral go-live node is gone or going) and a
   * new one is up: if {@code epoch} is still the cluster's epoch and no other node holds its go-live
   * node, one transaction checks the epoch node's version and creates the go-live node again in the
   * new session (replacing the one of this node's dead session if the server still keeps it).
   *
   * @throws ZkUnavailableException when ZooKeeper cannot be reached: nothing was decided, retry
   */
  @Override
  public Reclaim reclaimGoLive(long epoch) throws ZkUnavailableException {
    try {
      client.createContainers(paths.goLiveDir()); // a container, reaped once empty: see tryGoLive
      List<String> raced = new ArrayList<>();
      for (int attempt = 1; attempt <= PUBLISH_ATTEMPTS_MAX; attempt++) {
        Stat epochStat = new Stat();
        long current = parseEpoch(client.getData().storingStatIn(epochStat).forPath(paths.epoch()));
        if (current != epoch) {
          LOG.warn("reclaim: node '{}' cannot go on in epoch {}: the cluster is at epoch {}", nodeId, epoch, current);
          return Reclaim.EPOCH_ADVANCED;
        }
        String path = paths.goLive(epoch);
        Stat goLive = client.checkExists().forPath(path);
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(client.transactionOp().check().withVersion(epochStat.getVersion()).forPath(paths.epoch()));
        if (goLive != null) {
          if (goLive.getEphemeralOwner() == sessionId()) {
            return Reclaim.HELD;
          }
          String holder = new String(client.getData().forPath(path), StandardCharsets.UTF_8);
          if (!holder.equals(nodeId)) {
            LOG.warn("reclaim: go-live node of epoch {} is held by '{}', not '{}'", epoch, holder, nodeId);
            return Reclaim.HELD_BY_OTHER;
          }
          // this node's own dead session: the server has not expired it yet
          ops.add(client.transactionOp().delete().withVersion(goLive.getVersion()).forPath(path));
        }
        ops.add(client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(path, utf8(nodeId)));
        try {
          client.transaction().forOperations(ops);
          LOG.info("reclaim: node '{}' holds the go-live node of epoch {} again", nodeId, epoch);
          return Reclaim.HELD;
        } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException
            | KeeperException.BadVersionException e) {
          LOG.debug("reclaim of epoch {} raced ({} at {}), attempt {}", epoch, e.code(), e.getPath(), attempt);
          raced.add(e.code() + (e.getPath() == null ? "" : " " + e.getPath()));
          if (e instanceof KeeperException.NoNodeException) {
            // the server may have reaped the emptied go-live directory since this call made it
            client.createContainers(paths.goLiveDir());
          }
        }
      }
      throw new ZkUnavailableException("reclaiming the go-live node of epoch " + epoch + " kept racing: " + raced, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZkUnavailableException("interrupted while reclaiming epoch " + epoch, e);
    } catch (ZkUnavailableException e) {
      throw e;
    } catch (Exception e) {
      throw unavailable("reclaiming the go-live node of epoch " + epoch, e);
    }
  }

  /**
   * Publishes {@code me} as the cluster's primary of {@code epoch} (ephemeral, replacing any older record
   * and this node's own backup record) in one transaction that checks the epoch is still current.
   *
   * @return false, publishing nothing, when {@code epoch} is no longer the cluster's epoch or this node
   *     does not hold its go-live node
   * @throws ZkUnavailableException when ZooKeeper cannot be reached
   */
  @Override
  public boolean publishPrimary(NodeAddress me, long epoch) throws ZkUnavailableException {
    return publish(paths.primary(), RecordJson.write(new PrimaryRecord(me, epoch)), epoch, true);
  }

  /**
   * Publishes {@code me} as the cluster's backup of {@code epoch} (ephemeral, replacing any older record)
   * in one transaction that checks the epoch is still current.
   *
   * @return false, publishing nothing, when {@code epoch} is no longer the cluster's epoch
   * @throws ZkUnavailableException when ZooKeeper cannot be reached
   */
  @Override
  public boolean publishBackup(NodeAddress me, long epoch) throws ZkUnavailableException {
    return publish(paths.backup(), RecordJson.write(new BackupRecord(me, epoch)), epoch, false);
  }

  @Override
  public void close() {
    if (cache != null) {
      cache.close();
    }
    if (client != null) {
      client.close();
    }
  }

  private boolean publish(String path, byte[] json, long epoch, boolean asPrimary) throws ZkUnavailableException {
    try {
      client.createContainers(paths.goLiveDir()); // a container, reaped once empty: see tryGoLive
      for (int attempt = 1; attempt <= PUBLISH_ATTEMPTS_MAX; attempt++) {
        Stat epochStat = new Stat();
        long current = parseEpoch(client.getData().storingStatIn(epochStat).forPath(paths.epoch()));
        if (current != epoch) {
          LOG.warn("not publishing '{}' at {}: epoch {} is not current ({})", nodeId, path, epoch, current);
          return false;
        }
        if (asPrimary && !ownsGoLive(epoch)) {
          LOG.warn("not publishing '{}' as primary: it does not hold the go-live node of epoch {}", nodeId, epoch);
          return false;
        }
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(client.transactionOp().check().withVersion(epochStat.getVersion()).forPath(paths.epoch()));
        if (client.checkExists().forPath(path) != null) {
          ops.add(client.transactionOp().delete().forPath(path));
        }
        if (asPrimary && ownsNode(paths.backup())) {
          ops.add(client.transactionOp().delete().forPath(paths.backup()));
        }
        ops.add(client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(path, json));
        try {
          client.transaction().forOperations(ops);
          LOG.info("published '{}' at {} for epoch {}", nodeId, path, epoch);
          return true;
        } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException
            | KeeperException.BadVersionException e) {
          LOG.debug("publish of {} raced ({}), attempt {}", path, e.code(), attempt);
        }
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZkUnavailableException("interrupted while publishing " + path, e);
    } catch (Exception e) {
      throw unavailable("publishing " + path, e);
    }
  }

  private boolean ownsGoLive(long epoch) throws Exception {
    return ownsNode(paths.goLive(epoch));
  }

  private boolean ownsNode(String path) throws Exception {
    Stat s = client.checkExists().forPath(path);
    return s != null && s.getEphemeralOwner() == sessionId();
  }

  private long sessionId() throws Exception {
    return client.getZookeeperClient().getZooKeeper().getSessionId();
  }

  private GoLiveResult lost(long epoch, String why) throws Exception {
    String winner = "";
    try {
      winner = new String(client.getData().forPath(paths.goLive(epoch)), StandardCharsets.UTF_8);
    } catch (KeeperException.NoNodeException e) {
      // The holder of that epoch is already gone; there is still no going live for this node.
    }
    LOG.info("go-live: node '{}' lost ({}); epoch {} held by '{}'", nodeId, why, epoch, winner);
    return new GoLiveResult.Lost(epoch, winner);
  }

  private void ensureEpochNode() throws ZkUnavailableException {
    try {
      client.createContainers(paths.goLiveDir());
      client.create().forPath(paths.epoch(), utf8("0"));
      LOG.info("cluster '{}' created in ZooKeeper at epoch 0", cluster);
    } catch (KeeperException.NodeExistsException e) {
      // An existing cluster: its epoch stands.
    } catch (Exception e) {
      throw unavailable("creating the epoch node", e);
    }
  }

  /**
   * Makes sure the cluster's persistent znodes carry its ACL: a cluster created before ACLs (open znodes)
   * gets them now; one whose znodes belong to another credential means this node's secret is not the
   * cluster's, and it is refused at once instead of failing at its first go-live.
   */
  private void secureClusterNodes() throws ZkUnavailableException {
    String path = paths.base();
    try {
      List<ACL> acl = client.getACL().forPath(path);
      boolean mine = acl.stream().anyMatch(a -> a.getId().equals(auth.id()) && a.getPerms() == ZooDefs.Perms.ALL);
      boolean digestOfOther = acl.stream()
          .anyMatch(a -> ZkAuth.SCHEME.equals(a.getId().getScheme()) && !a.getId().equals(auth.id()));
      if (mine) {
        return;
      }
      if (digestOfOther) {
        throw new ZkAccessDeniedException(path, "ZooKeeper: the znodes of cluster '" + cluster + "' at " + path
            + " belong to another credential: node '" + nodeId + "' was given another secret than the cluster's", null);
      }
      for (String p : List.of(paths.base(), paths.epoch(), paths.goLiveDir())) {
        path = p;
        try {
          client.setACL().withACL(auth.clusterAcl()).forPath(p);
        } catch (KeeperException.NoNodeException e) {
          // the go-live container was reaped meanwhile: it is made again with the ACL
        }
      }
      LOG.info("cluster '{}': its znodes were open to every ZooKeeper session; they now carry the cluster's ACL", cluster);
    } catch (ZkAccessDeniedException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZkUnavailableException("interrupted while checking the ACL of " + path, e);
    } catch (Exception e) {
      throw unavailable("checking the ACL of " + path, e);
    }
  }

  private void startCache(Duration bound) throws ZkUnavailableException, InterruptedException {
    if (cache == null) {
      cache = CuratorCache.build(client, paths.base());
      cache.listenable().addListener(CuratorCacheListener.builder()
          .forInitialized(cacheLoaded::countDown)
          .forAll((type, oldData, data) -> changed())
          .build());
      cache.start();
    }
    if (!cacheLoaded.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new ZkUnavailableException("ZooKeeper records of cluster '" + cluster + "' not loaded within "
          + bound.toMillis() + " ms", null);
    }
  }

  private void changed() {
    for (Runnable r : changeListeners) {
      r.run();
    }
  }

  private void forward(ConnectionState state) {
    switch (state) {
      case SUSPENDED -> {
        LOG.warn("ZooKeeper connection suspended (node '{}')", nodeId);
        listener.suspended();
      }
      case RECONNECTED -> {
        LOG.info("ZooKeeper connection re-established (node '{}')", nodeId);
        listener.reconnected();
      }
      case LOST -> {
        LOG.warn("ZooKeeper session lost (node '{}')", nodeId);
        listener.lost();
      }
      default -> { }
    }
  }

  private <T> Optional<T> cached(String path, Class<T> type) {
    if (cache == null) {
      return Optional.empty();
    }
    return cache.get(path).map(ChildData::getData).map(d -> {
      T r = RecordJson.read(d, type);
      if (r == null) {
        LOG.warn("ignoring unreadable record at {}", path);
      }
      return r;
    });
  }

  private ZkUnavailableException unavailable(String what, Exception e) {
    if (e instanceof KeeperException.NoAuthException noAuth) {
      String path = noAuth.getPath() != null ? noAuth.getPath() : paths.base();
      throw new ZkAccessDeniedException(path, "ZooKeeper refused node '" + nodeId + "' the rights to " + path
          + " while " + what + ": its session is not authenticated as cluster '" + cluster + "' (another secret?)", e);
    }
    return new ZkUnavailableException("ZooKeeper at " + zkConnect + " unavailable while " + what + ": " + e, e);
  }

  private static long parseEpoch(byte[] data) {
    try {
      return Long.parseLong(new String(data, StandardCharsets.UTF_8).trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("epoch node holds no number: " + new String(data, StandardCharsets.UTF_8), e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
