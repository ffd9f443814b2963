package dev.lockstep.harness.attack;

import dev.lockstep.ftvm.golive.NodeAddress;
import dev.lockstep.ftvm.golive.PrimaryRecord;
import dev.lockstep.ftvm.golive.RecordJson;
import dev.lockstep.ftvm.golive.ZkPaths;
import dev.lockstep.nemesis.Nemesis;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.schedule.Family;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code attack} family: an outsider who can reach every port and ZooKeeper but holds no secret.
 * Each {@code start-attack} tries every kind of attempt of {@link Family#ATTACK_ATTEMPTS}, the drawn one
 * first: rewrite the primary's record, delete and bump the epoch, create the next go-live node, replay
 * logging-channel bytes captured on the wire to the primary's log port, and send malformed packets to
 * its client port. Every attempt is logged and returned in the op's value ({@code attempts}: each with
 * its {@code outcome}: {@code refused}, {@code accepted} or {@code unreachable}), so the history records
 * it. {@code stop-attack} does nothing: an attempt leaves nothing to heal unless it was accepted, and
 * then the run has found a hole.
 */
public final class AttackNemesis implements Nemesis {
  private static final Logger LOG = LoggerFactory.getLogger(AttackNemesis.class);
  /** Bound on one ZooKeeper call of the attacker and on waiting for a port to close on it. */
  static final int WAIT_MS_MAX = 3_000;
  static final int CONNECT_MS_MAX = 2_000;
  /** Bytes of a captured stream replayed at most. */
  static final int REPLAY_BYTES_MAX = 16 * 1024;

  private final String zkConnect;
  private final ZkPaths paths;
  private final Supplier<List<WireTap.Capture>> captures;
  private final SplittableRandom random;
  private CuratorFramework zk;

  /**
   * @param captures the bytes captured so far on the logging channel's links (possibly none)
   */
  public AttackNemesis(String zkConnect, String cluster, Supplier<List<WireTap.Capture>> captures, long seed) {
    this.zkConnect = zkConnect;
    this.paths = new ZkPaths(cluster);
    this.captures = captures;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public void setup() {
    zk = CuratorFrameworkFactory.builder().connectString(zkConnect).sessionTimeoutMs(2 * WAIT_MS_MAX)
        .connectionTimeoutMs(WAIT_MS_MAX).retryPolicy(new RetryOneTime(100)).build();
    zk.start();
  }

  @Override
  public NemesisOp invoke(NemesisOp op) {
    if (!op.family().equals(Family.ATTACK.label())) {
      throw new IllegalArgumentException("the attack nemesis does not handle " + op.f());
    }
    if (op.isStop()) {
      return op;
    }
    Map<?, ?> value = op.value() instanceof Map<?, ?> m ? m : Map.of();
    String first = String.valueOf(value.get("attempt"));
    List<String> order = new ArrayList<>(Family.ATTACK_ATTEMPTS);
    if (order.remove(first)) {
      order.add(0, first);
    }
    List<Map<String, Object>> attempts = new ArrayList<>();
    for (String kind : order) {
      for (Map<String, Object> a : attempt(kind)) {
        String level = String.valueOf(a.get("outcome"));
        if ("accepted".equals(level)) {
          LOG.error("attack: {} was ACCEPTED: {}", kind, a);
        } else {
          LOG.info("attack: {} {}: {}", kind, level, a.get("detail"));
        }
        attempts.add(a);
      }
    }
    Map<String, Object> done = new LinkedHashMap<>();
    done.put("attempt", first);
    done.put("attempts", attempts);
    done.put("accepted", attempts.stream().filter(a -> "accepted".equals(a.get("outcome"))).count());
    return op.withValue(done);
  }

  @Override
  public void teardown() {
    if (zk != null) {
      zk.close();
      zk = null;
    }
  }

  private List<Map<String, Object>> attempt(String kind) {
    return switch (kind) {
      case "rewrite-primary" -> List.of(
          zkAttempt(kind, "set-data " + paths.primary(), () -> zk.setData().forPath(paths.primary(), forgedPrimary())),
          zkAttempt(kind, "delete " + paths.primary(), () -> zk.delete().forPath(paths.primary())));
      case "delete-epoch" -> List.of(zkAttempt(kind, "delete " + paths.epoch(), () -> zk.delete().forPath(paths.epoch())));
      case "bump-epoch" -> List.of(zkAttempt(kind, "set-data " + paths.epoch(),
          () -> zk.setData().forPath(paths.epoch(), utf8(Long.toString(epoch() + 1)))));
      case "create-golive" -> List.of(
          zkAttempt(kind, "create " + paths.goLive(epoch() + 1), () -> zk.create().withMode(CreateMode.EPHEMERAL)
              .forPath(paths.goLive(epoch() + 1), utf8("attacker"))),
          zkAttempt(kind, "set-acl " + paths.base(), () -> zk.setACL()
              .withACL(org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(paths.base())));
      case "replay-log" -> replayLog();
      case "malformed-client" -> malformedClient();
      default -> throw new IllegalArgumentException("unknown attack attempt '" + kind + "'");
    };
  }

  /** A ZooKeeper call of the outsider's session: refused is NoAuth, anything else that fails is unreachable. */
  private Map<String, Object> zkAttempt(String kind, String what, ZkCall call) {
    try {
      if (!zk.getZookeeperClient().blockUntilConnectedOrTimedOut()) {
        return record(kind, what, "unreachable", "ZooKeeper at " + zkConnect + " not reachable");
      }
      call.run();
      return record(kind, what, "accepted", "ZooKeeper let an unauthenticated session " + what);
    } catch (KeeperException.NoAuthException e) {
      return record(kind, what, "refused", "NoAuth on " + e.getPath());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return record(kind, what, "unreachable", "interrupted");
    } catch (Exception e) {
      return record(kind, what, "unreachable", e.toString());
    }
  }

  /** Replays what a backup sent to a primary, and what a primary sent, to the live primary's log port. */
  private List<Map<String, Object>> replayLog() {
    PrimaryRecord p = primary();
    List<WireTap.Capture> all = captures.get();
    if (p == null || all.isEmpty()) {
      return List.of(record("replay-log", "replay", "unreachable",
          p == null ? "no primary published" : "nothing captured on the wire yet"));
    }
    WireTap.Capture c = all.get(random.nextInt(all.size()));
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(sendAndWatch("replay-log", "replay backup->primary bytes to " + p.node().logAddress(),
        p.node().logAddress(), c.toTarget()));
    out.add(sendAndWatch("replay-log", "replay primary->backup bytes to " + p.node().logAddress(),
        p.node().logAddress(), c.fromTarget()));
    return out;
  }

  /** Packets no client may send: too short for a client id, longer than any packet, cut short. */
  private List<Map<String, Object>> malformedClient() {
    PrimaryRecord p = primary();
    if (p == null) {
      return List.of(record("malformed-client", "send", "unreachable", "no primary published"));
    }
    InetSocketAddress a = p.node().clientAddress();
    byte[] garbage = new byte[64];
    random.nextBytes(garbage);
    garbage[0] |= (byte) 0x80; // a length field no decoder takes
    return List.of(
        sendAndWatch("malformed-client", "2-byte packet to " + a, a, ByteBuffer.allocate(6).putInt(2).put((byte) 1).put((byte) 2).array()),
        sendAndWatch("malformed-client", "oversized length to " + a, a, ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(7).array()),
        sendAndWatch("malformed-client", "random bytes to " + a, a, garbage));
  }

  /**
   * Connects, sends {@code bytes} and waits for the peer to close the connection: refused when it does
   * within the bound, accepted when it answers with anything but a close or keeps the connection.
   * TRICKY: the TLS or frame handshake may send the attacker its own greeting first; only bytes that
   * follow the attacker's (a reply to them) would mean acceptance, so greetings are read and ignored.
   */
  private Map<String, Object> sendAndWatch(String kind, String what, InetSocketAddress to, byte[] bytes) {
    byte[] send = bytes.length > REPLAY_BYTES_MAX ? java.util.Arrays.copyOf(bytes, REPLAY_BYTES_MAX) : bytes;
    try (Socket s = new Socket()) {
      s.connect(to, CONNECT_MS_MAX);
      s.setSoTimeout(WAIT_MS_MAX);
      OutputStream out = s.getOutputStream();
      try {
        out.write(send);
        out.flush();
      } catch (IOException e) {
        return record(kind, what, "refused", "closed while sending: " + e.getMessage());
      }
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS_MAX);
      try {
        while (System.nanoTime() < deadline) {
          if (in.read(buf) < 0) {
            return record(kind, what, "refused", "connection closed by the node");
          }
        }
      } catch (SocketTimeoutException e) {
        return record(kind, what, "accepted", "the node kept the connection open for " + WAIT_MS_MAX + " ms");
      } catch (IOException e) {
        return record(kind, what, "refused", "connection reset by the node");
      }
      return record(kind, what, "accepted", "the node kept answering for " + WAIT_MS_MAX + " ms");
    } catch (IOException e) {
      return record(kind, what, "unreachable", e.toString());
    }
  }

  private PrimaryRecord primary() {
    try {
      if (!zk.getZookeeperClient().blockUntilConnectedOrTimedOut()) {
        return null;
      }
      return RecordJson.read(zk.getData().forPath(paths.primary()), PrimaryRecord.class);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  private long epoch() {
    try {
      return Long.parseLong(new String(zk.getData().forPath(paths.epoch()), StandardCharsets.UTF_8).trim());
    } catch (Exception e) {
      return 0;
    }
  }

  private static byte[] forgedPrimary() {
    return RecordJson.write(new PrimaryRecord(new NodeAddress("attacker", "127.0.0.1", 9, 9), Long.MAX_VALUE));
  }

  private static Map<String, Object> record(String kind, String what, String outcome, String detail) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    m.put("what", what);
    m.put("outcome", outcome);
    m.put("detail", detail);
    return m;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @FunctionalInterface
  private interface ZkCall {
    void run() throws Exception;
  }
}
