package dev.lockstep.ftvm.golive;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.RetryNTimes;

/**
 * A read-only, watched view of a cluster's published primary, for clients. It never writes to ZooKeeper.
 * {@link #awaitChange} lets a caller sleep until the record changes, bounded.
 */
public final class PrimaryWatch implements AutoCloseable {
  private static final int RETRIES_MAX = 2;
  private static final int RETRY_SLEEP_MS = 100;

  private final ZkPaths paths;
  private final CuratorFramework client;
  private final CuratorCache cache;
  private final Object changed = new Object();
  private long version;

  /** Connects to ZooKeeper in the background and starts watching; {@link #current()} is empty until the record is seen. */
  public PrimaryWatch(String zkConnect, String cluster, Duration sessionTimeout) {
    Objects.requireNonNull(zkConnect, "zkConnect");
    this.paths = new ZkPaths(cluster);
    this.client = CuratorFrameworkFactory.builder()
        .connectString(zkConnect)
        .sessionTimeoutMs((int) sessionTimeout.toMillis())
        .connectionTimeoutMs((int) sessionTimeout.toMillis())
        .retryPolicy(new RetryNTimes(RETRIES_MAX, RETRY_SLEEP_MS))
        .build();
    client.start();
    this.cache = CuratorCache.build(client, paths.primary());
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, oldData, data) -> bump())
        .forInitialized(this::bump)
        .build());
    cache.start();
  }

  /** The primary record as last seen, if any. */
  public Optional<PrimaryRecord> current() {
    return cache.get(paths.primary()).map(ChildData::getData).map(d -> RecordJson.read(d, PrimaryRecord.class));
  }

  /** A counter that grows whenever the record may have changed. */
  public long version() {
    synchronized (changed) {
      return version;
    }
  }

  /** Waits until {@link #version()} exceeds {@code seen}, at most {@code bound}; returns the version then. */
  public long awaitChange(long seen, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    synchronized (changed) {
      while (version <= seen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(changed, left);
      }
      return version;
    }
  }

  private void bump() {
    synchronized (changed) {
      version++;
      changed.notifyAll();
    }
  }

  @Override
  public void close() {
    cache.close();
    client.close();
  }
}
