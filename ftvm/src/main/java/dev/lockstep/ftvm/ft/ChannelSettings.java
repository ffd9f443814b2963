package dev.lockstep.ftvm.ft;

import dev.lockstep.ftvm.tls.Tls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything both ends of a logging channel must agree on, plus this side's bounds.
 *
 * @param cluster the cluster name; a peer of another cluster fails the handshake
 * @param secret the cluster secret keying the handshake HMAC (at least {@link #SECRET_BYTES_MIN} bytes)
 * @param epoch this side's epoch; a frame of any other epoch closes the connection
 * @param heartbeatInterval a heartbeat is sent after this much outbound silence
 * @param failureTimeout the peer is declared failed after this much inbound silence (also bounds the handshake)
 * @param batchBytesMax a log batch frame's payload holds at most this many bytes; longer lists are split
 * @param frameBytesMax the largest frame payload accepted; a larger length field closes the connection
 * @param writeBufferBytesMax outbound bytes queued before {@link BackupLink#writable()} turns false
 * @param snapshotChunkBytes bytes of snapshot per chunk frame
 * @param snapshotBytesMax the largest snapshot a backup accepts
 * @param tls mutual TLS under the frames (both ends present a certificate of the cluster's CA), or null
 *     for plain TCP; the handshake HMAC and the frame MACs apply either way
 */
public record ChannelSettings(
    String cluster,
    byte[] secret,
    long epoch,
    Duration heartbeatInterval,
    Duration failureTimeout,
    int batchBytesMax,
    int frameBytesMax,
    int writeBufferBytesMax,
    int snapshotChunkBytes,
    long snapshotBytesMax,
    Tls tls) {

  public static final int SECRET_BYTES_MIN = 8;
  public static final int CLUSTER_NAME_BYTES_MAX = 200;
  public static final Duration HEARTBEAT_INTERVAL_DEFAULT = Duration.ofMillis(100);
  public static final Duration FAILURE_TIMEOUT_DEFAULT = Duration.ofMillis(600);
  public static final int BATCH_BYTES_MAX_DEFAULT = 256 * 1024;
  public static final int FRAME_BYTES_MAX_DEFAULT = 1024 * 1024;
  public static final int WRITE_BUFFER_BYTES_MAX_DEFAULT = 4 * 1024 * 1024;
  public static final int SNAPSHOT_CHUNK_BYTES_DEFAULT = 256 * 1024;
  public static final long SNAPSHOT_BYTES_MAX_DEFAULT = 1L << 30;

  public ChannelSettings {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(failureTimeout, "failureTimeout");
    require(!cluster.isEmpty() && cluster.getBytes(StandardCharsets.UTF_8).length <= CLUSTER_NAME_BYTES_MAX,
        "cluster name must have 1.." + CLUSTER_NAME_BYTES_MAX + " bytes");
    require(secret.length >= SECRET_BYTES_MIN, "secret must have at least " + SECRET_BYTES_MIN + " bytes");
    require(epoch >= 0, "epoch must be >= 0");
    require(!heartbeatInterval.isNegative() && !heartbeatInterval.isZero(), "heartbeatInterval must be > 0");
    require(failureTimeout.compareTo(heartbeatInterval) > 0, "failureTimeout must exceed heartbeatInterval");
    require(frameBytesMax >= 1024, "frameBytesMax must be >= 1024");
    require(batchBytesMax > 0 && batchBytesMax <= frameBytesMax, "batchBytesMax must be in 1..frameBytesMax");
    require(snapshotChunkBytes > 0 && snapshotChunkBytes + 64 <= frameBytesMax,
        "snapshotChunkBytes must leave room for its header in frameBytesMax");
    require(writeBufferBytesMax >= frameBytesMax, "writeBufferBytesMax must be >= frameBytesMax");
    require(snapshotBytesMax > 0, "snapshotBytesMax must be > 0");
    secret = secret.clone();
  }

  /** Settings with every bound at its default. */
  public static ChannelSettings of(String cluster, byte[] secret, long epoch) {
    return new ChannelSettings(cluster, secret, epoch, HEARTBEAT_INTERVAL_DEFAULT, FAILURE_TIMEOUT_DEFAULT,
        BATCH_BYTES_MAX_DEFAULT, FRAME_BYTES_MAX_DEFAULT, WRITE_BUFFER_BYTES_MAX_DEFAULT,
        SNAPSHOT_CHUNK_BYTES_DEFAULT, SNAPSHOT_BYTES_MAX_DEFAULT, null);
  }

  /** The secret as UTF-8 bytes, for secrets given on a command line or in a file. */
  public static byte[] secretOf(String secret) {
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  public ChannelSettings withEpoch(long newEpoch) {
    return new ChannelSettings(cluster, secret, newEpoch, heartbeatInterval, failureTimeout, batchBytesMax,
        frameBytesMax, writeBufferBytesMax, snapshotChunkBytes, snapshotBytesMax, tls);
  }

  public ChannelSettings withTimeouts(Duration newHeartbeatInterval, Duration newFailureTimeout) {
    return new ChannelSettings(cluster, secret, epoch, newHeartbeatInterval, newFailureTimeout, batchBytesMax,
        frameBytesMax, writeBufferBytesMax, snapshotChunkBytes, snapshotBytesMax, tls);
  }

  public ChannelSettings withFrameBytesMax(int newFrameBytesMax, int newBatchBytesMax, int newSnapshotChunkBytes) {
    return new ChannelSettings(cluster, secret, epoch, heartbeatInterval, failureTimeout, newBatchBytesMax,
        newFrameBytesMax, Math.max(writeBufferBytesMax, newFrameBytesMax), newSnapshotChunkBytes, snapshotBytesMax, tls);
  }

  /** The same settings over TLS ({@code null}: plain TCP). */
  public ChannelSettings withTls(Tls newTls) {
    return new ChannelSettings(cluster, secret, epoch, heartbeatInterval, failureTimeout, batchBytesMax,
        frameBytesMax, writeBufferBytesMax, snapshotChunkBytes, snapshotBytesMax, newTls);
  }

  /** How long a TLS handshake may take: the same bound as the channel's own handshake. */
  public Duration handshakeBound() {
    Duration min = Duration.ofSeconds(2);
    return failureTimeout.compareTo(min) > 0 ? failureTimeout : min;
  }

  @Override
  public String toString() {
    return "ChannelSettings[cluster=" + cluster + ", epoch=" + epoch + ", heartbeat=" + heartbeatInterval
        + ", failureTimeout=" + failureTimeout + ", tls=" + (tls != null) + "]";
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException(what);
    }
  }
}
