package dev.lockstep.ftvm.node.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.ftvm.golive.PrimaryRecord;
import dev.lockstep.ftvm.golive.PrimaryWatch;
import dev.lockstep.ftvm.node.host.ClusterSecret;
import dev.lockstep.ftvm.node.host.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.test.TestingServer;

/**
 * A cluster for integration tests: an in-process ZooKeeper server (stoppable and restartable on the
 * same port and data), node processes started with the test classpath, and optional partition
 * proxies in front of each node's log port. {@link #close} stops everything it started.
 */
final class FtCluster implements AutoCloseable {

  static final Duration FAILURE_TIMEOUT = Duration.ofMillis(500);
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path root;
  final String name;
  private final TestingServer zk;
  private final int zkPort;
  private final PrimaryWatch watch;
  final List<NodeProcess> nodes = new ArrayList<>();
  private final List<BlackholeProxy> proxies = new ArrayList<>();
  private final Map<String, BlackholeProxy> proxyOf = new HashMap<>();

  FtCluster(String name) throws Exception {
    this.name = name;
    this.root = Path.of("target", "it", name + "-" + System.nanoTime()).toAbsolutePath();
    Files.createDirectories(root);
    this.zkPort = FreePorts.free();
    this.zk = new TestingServer(zkPort, root.resolve("zk").toFile(), true);
    this.watch = new PrimaryWatch(zkConnect(), name, Duration.ofSeconds(5));
  }

  /** The cluster's secret file, made on the first node's start. */
  Path secretFile() {
    return root.resolve("cluster.secret");
  }

  String zkConnect() {
    return "127.0.0.1:" + zkPort;
  }

  /** Starts a node; with {@code proxied}, its log port is published behind a partition proxy. */
  NodeProcess start(String id, boolean proxied, String... extra) throws IOException {
    int clientPort = FreePorts.free();
    int logPort = FreePorts.free();
    List<String> extras = List.of(extra);
    if (!Files.exists(secretFile())) {
      ClusterSecret.generate(secretFile());
    }
    List<String> args = new ArrayList<>(List.of("--cluster", name, "--zk", zkConnect(), "--secret-file", secretFile().toString(),
        "--failure-timeout-ms", Long.toString(FAILURE_TIMEOUT.toMillis()), "--heartbeat-ms", "100"));
    if (!extras.contains("--guest")) {
      args.addAll(List.of("--guest", "kv"));
    }
    if (!extras.contains("--hash-interval")) {
      args.addAll(List.of("--hash-interval", "8192"));
    }
    if (proxied) {
      BlackholeProxy p = new BlackholeProxy(0, new InetSocketAddress("127.0.0.1", logPort));
      proxies.add(p);
      proxyOf.put(id, p);
      args.addAll(List.of("--advertise-log-port", Integer.toString(p.port())));
    }
    args.addAll(List.of(extra));
    NodeProcess n = NodeProcess.start(id, root.resolve(id), clientPort, logPort, args);
    nodes.add(n);
    return n;
  }

  BlackholeProxy proxyOf(String id) {
    return proxyOf.get(id);
  }

  Optional<PrimaryRecord> primary() {
    return watch.current();
  }

  /** Waits until {@code n} is the published primary of an epoch above {@code epochAbove}; returns the epoch. */
  long awaitPrimary(NodeProcess n, long epochAbove, Duration bound) {
    await().atMost(bound).pollInterval(Duration.ofMillis(20)).until(() ->
        primary().filter(p -> p.node().nodeId().equals(n.id) && p.epoch() > epochAbove).isPresent()
            || !n.alive());
    if (!n.alive()) {
      throw new AssertionError("node " + n.id + " died (exit " + n.exitCode() + "):\n" + tail(n.log()));
    }
    return primary().orElseThrow().epoch();
  }

  /** Waits until {@code n} has received its snapshot and replays as backup. */
  void awaitBackup(NodeProcess n, int attachments, Duration bound) {
    await().atMost(bound).pollInterval(Duration.ofMillis(20)).until(() ->
        count(n.notes(), "snapshot-received") >= attachments || !n.alive());
    if (!n.alive()) {
      throw new AssertionError("node " + n.id + " died (exit " + n.exitCode() + "):\n" + tail(n.log()));
    }
  }

  static String tail(String s) {
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }

  static long count(Path jsonl, String type) {
    return lines(jsonl).stream().filter(j -> type.equals(j.path("type").asText())).count();
  }

  static List<JsonNode> lines(Path jsonl) {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(jsonl)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(jsonl)) {
        if (!line.isBlank()) {
          try {
            out.add(JSON.readTree(line));
          } catch (IOException torn) {
            // the last line of a killed node may be torn
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  void stopZk() throws IOException {
    zk.stop();
  }

  void restartZk() throws Exception {
    zk.restart();
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess n : nodes) {
      if (n.alive()) {
        n.kill9();
      }
    }
    watch.close();
    for (BlackholeProxy p : proxies) {
      p.close();
    }
    zk.close();
  }
}
