package dev.lockstep.harness.runner;

import dev.lockstep.ftvm.node.host.ClusterSecret;
import dev.lockstep.ftvm.node.host.FreePorts;
import dev.lockstep.ftvm.tls.ThrowawayCa;
import dev.lockstep.ftvm.tls.Tls;
import dev.lockstep.harness.attack.AttackNemesis;
import dev.lockstep.harness.attack.WireTap;
import dev.lockstep.nemesis.Link;
import dev.lockstep.nemesis.Nemesis;
import dev.lockstep.nemesis.schedule.Family;
import dev.lockstep.nemesis.clock.OffsetControl;
import dev.lockstep.nemesis.process.ManagedProcess;
import dev.lockstep.nemesis.netns.Netns;
import dev.lockstep.nemesis.netns.NetnsLink;
import dev.lockstep.nemesis.proxy.FaultProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes and links of one test: ZooKeeper (a {@code lockstep zk} process unless an existing
 * ensemble is given), the FT nodes ({@code lockstep node} processes) and their links — clients → each
 * node's client port, node → node on the log port, each node → ZooKeeper. In the proxy mode a fault proxy
 * sits on every link; in the netns mode every ZooKeeper server and node runs in its own network namespace
 * with its own address ({@link Netns}), links are real sockets and faults are iptables rules in the
 * namespaces ({@link NetnsLink}). The first node is started alone and must serve before the next one
 * joins, so it becomes the primary. {@link #close()} stops everything it started, paused or not, and
 * removes the namespaces.
 */
public final class TestCluster implements dev.lockstep.nemesis.Cluster, AutoCloseable {

  /** The file in a node's directory its clock offset is read from. */
  public static final String CLOCK_OFFSET_FILE = "clock-offset";

  /** Bound for ZooKeeper to accept connections. */
  public static final long ZK_START_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** Bound for the first node to serve a client. */
  public static final long PRIMARY_START_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** Bound for a joining node to become the backup. */
  public static final long BACKUP_JOIN_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** How much of a log line a start failure quotes. */
  private static final int LAST_WORDS_MAX = 300;

  private static final Logger LOG = LoggerFactory.getLogger(TestCluster.class);

  private final String name;
  private final Path runDir;
  private final long seed;
  private final long timeOriginNanos;
  private final List<ManagedProcess> zkServers = new ArrayList<>();
  private final List<NodeHandle> nodes = new ArrayList<>();
  private final List<FaultProxy> proxies = new ArrayList<>();
  private final List<Link> links = new ArrayList<>();
  private final Map<String, OffsetControl> clocks = new LinkedHashMap<>();
  private volatile Supplier<Optional<String>> primary = Optional::empty;
  private volatile long originUnixNanos;
  private final Map<String, long[]> roleOffsets = new java.util.HashMap<>();
  private final Map<String, String> lastRoles = new java.util.HashMap<>();
  private static final String ROLE_LINE = "{\"type\":\"role\"";
  private static final java.util.regex.Pattern ROLE_EPOCH = java.util.regex.Pattern.compile("\"epoch\":(\\d+)");
  private static final java.util.regex.Pattern ROLE_TIME = java.util.regex.Pattern.compile("\"time\":(\\d+)");
  private static final long START_TICK_NANOS = 10_000_000L;
  private String zkConnect;
  /** Node options that carry the run's credentials (by file, never the secret itself). */
  private final List<String> security = new ArrayList<>();
  static final String SECRETS_DIR = "secrets";
  private SSLContext clientTls;
  /** With the attack family: a wire tap between each log proxy and its node, whose bytes the attacker replays. */
  private boolean tapLogs;
  private final List<WireTap> taps = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Integer> zkPorts = new ArrayList<>();
  private final List<String> zkHosts = new ArrayList<>();
  /** The run's namespaces in the netns mode, else null. */
  private Netns net;

  private TestCluster(String name, Path runDir, long seed, long timeOriginNanos) {
    this.timeOriginNanos = timeOriginNanos;
    this.name = name;
    this.runDir = runDir;
    this.seed = seed;
  }

  /**
   * Starts ZooKeeper (unless {@code externalZk} is set), then node {@code n1}, waits until
   * {@code serving} holds, then the other nodes, waiting until {@code backupJoined} holds.
   *
   * @param timeOriginNanos Unix time (ns) at which the run began, so node event times line up with the history
   * @param serving true once a client gets an answer through the cluster
   * @param backupJoined true once the second node acts as backup
   */
  public static TestCluster start(
      String name, TestSettings settings, String guest, Path runDir, long seed, long timeOriginNanos,
      java.util.function.Function<TestCluster, BooleanSupplier> serving,
      java.util.function.Function<TestCluster, BooleanSupplier> backupJoined) throws ClusterException, InterruptedException {
    TestCluster cluster = new TestCluster(name, runDir, seed, timeOriginNanos);
    try {
      cluster.makeSecrets(settings.tls());
      cluster.tapLogs = settings.families().contains(Family.ATTACK);
      if (settings.netns()) {
        cluster.openNet(settings);
      }
      cluster.startZooKeeper(settings.zk(), settings.zkServers());
      for (int i = 1; i <= settings.nodes(); i++) {
        NodeHandle node = cluster.startNode("n" + i, settings.nodes(), guest, settings.unsafe());
        BooleanSupplier ready = i == 1 ? serving.apply(cluster) : backupJoined.apply(cluster);
        long bound = i == 1 ? PRIMARY_START_NANOS : BACKUP_JOIN_NANOS;
        String goal = i == 1 ? "serve clients" : "join as backup";
        cluster.awaitStarted("node " + node.id(), node.process(), ready, bound, goal, node.dataDir().resolve("stdout.log"));
      }
      return cluster;
    } catch (ClusterException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public String name() {
    return name;
  }

  /** ZooKeeper as clients reach it (directly: the client → ZooKeeper link is not part of the test). */
  public String zkConnect() {
    return zkConnect;
  }

  public List<NodeHandle> nodeHandles() {
    return List.copyOf(nodes);
  }

  public List<FaultProxy> proxies() {
    return List.copyOf(proxies);
  }

  /** Sweeps what killed runs left, then makes a namespace per ZooKeeper server and node. */
  private void openNet(TestSettings settings) throws ClusterException {
    try {
      for (String gone : Netns.sweepStale()) {
        LOG.warn("removed what a killed run left: {}", gone);
      }
      List<String> members = new ArrayList<>();
      for (int i = 1; i <= settings.zkServers(); i++) {
        members.add("zk" + i);
      }
      for (int i = 1; i <= settings.nodes(); i++) {
        members.add("n" + i);
      }
      net = Netns.create(Netns.freshTag(), members);
      // The harness's own ZooKeeper clients (the primary watch, the probes) skip the DNS lookup too (ChildJvm.NO_ZK_SASL).
      System.setProperty("zookeeper.sasl.client", "false");
      LOG.info("netns network {}: {}", net.tag(), members.stream().map(m -> m + " " + net.address(m)).toList());
    } catch (dev.lockstep.nemesis.NemesisException e) {
      throw new ClusterException("cannot make the run's network namespaces: " + e.getMessage(), e);
    }
  }

  /** The namespaces of the netns mode, or empty in the proxy mode. */
  public Optional<Netns> net() {
    return Optional.ofNullable(net);
  }

  /** The address a member binds: its namespace's in the netns mode, else the loopback address. */
  private String hostOf(String member) {
    return net == null ? Ports.HOST : net.address(member);
  }

  /** Launches {@code lockstep <args>} for a member: inside its namespace in the netns mode. */
  private Process launch(String member, List<String> args, Path log) throws java.io.IOException {
    return net == null ? ChildJvm.launch(args, log) : net.start(member, ChildJvm.builder(args, log));
  }

  private void startZooKeeper(String externalZk, int servers) throws ClusterException, InterruptedException {
    if (externalZk != null) {
      zkConnect = externalZk;
      for (String hostPort : externalZk.split(",")) {
        zkPorts.add(Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1).trim()));
        zkHosts.add(hostPort.substring(0, hostPort.lastIndexOf(':')).trim());
      }
      return;
    }
    List<String> peers = new ArrayList<>();
    for (int i = 1; i <= servers; i++) {
      zkPorts.add(FreePorts.free());
      zkHosts.add(hostOf("zk" + i));
      peers.add(hostOf("zk" + i) + ":" + FreePorts.free() + ":" + FreePorts.free());
    }
    for (int i = 1; i <= servers; i++) {
      String id = "zk" + i;
      Path dir = runDir.resolve("zk").resolve(id);
      List<String> args = new ArrayList<>(List.of("zk", "--host", hostOf(id), "--port", Integer.toString(zkPorts.get(i - 1)),
          "--data", dir.resolve("data").toString()));
      if (servers > 1) {
        args.addAll(List.of("--server-id", Integer.toString(i), "--peers", String.join(",", peers)));
      }
      zkServers.add(ManagedProcess.start(id, () -> launch(id, args, dir.resolve("stdout.log"))));
    }
    List<String> connect = new ArrayList<>();
    for (int i = 0; i < servers; i++) {
      connect.add(zkHosts.get(i) + ":" + zkPorts.get(i));
    }
    zkConnect = String.join(",", connect);
    for (int i = 0; i < servers; i++) {
      int port = zkPorts.get(i);
      String host = zkHosts.get(i);
      awaitStarted("ZooKeeper zk" + (i + 1), zkServers.get(i), () -> Ports.accepts(host, port), ZK_START_NANOS,
          "accept connections on " + host + ":" + port, runDir.resolve("zk/zk" + (i + 1) + "/stdout.log"));
    }
  }

  /** Waits until {@code ready} holds; fails at once if the process ends first, quoting its log's last words. */
  private void awaitStarted(String who, ManagedProcess process, BooleanSupplier ready, long boundNanos, String goal, Path log)
      throws ClusterException, InterruptedException {
    if (Ports.await(() -> !process.isAlive() || ready.getAsBoolean(), boundNanos) && process.isAlive()) {
      return;
    }
    String what = process.isAlive()
        ? " did not " + goal + " within " + TimeUnit.NANOSECONDS.toSeconds(boundNanos) + " s"
        : " exited with code " + process.process().exitValue() + " before it could " + goal;
    throw new ClusterException(who + what + lastWords(log) + "; see " + log);
  }

  /** The log's last error line, or else its last line, as "; last log line: ...", or "" without a log. */
  static String lastWords(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
    String last = null;
    for (int i = lines.size() - 1; i >= 0 && last == null; i--) {
      if (lines.get(i).contains(" ERROR ")) {
        last = lines.get(i);
      }
    }
    for (int i = lines.size() - 1; i >= 0 && last == null; i--) {
      if (!lines.get(i).isBlank()) {
        last = lines.get(i);
      }
    }
    if (last == null) {
      return "";
    }
    String line = last.strip();
    return "; last log line: " + (line.length() > LAST_WORDS_MAX ? line.substring(0, LAST_WORDS_MAX) + "..." : line);
  }

  private NodeHandle startNode(String id, int nodeCount, String guest, List<String> unsafe) {
    int clientPort = FreePorts.free();
    int logPort = FreePorts.free();
    // Two nodes: the other one is the only peer that ever connects to this node's log port.
    String peer = nodeCount > 1 ? (id.equals("n1") ? "n2" : "n1") : null;
    Path dataDir = runDir.resolve("nodes").resolve(id);
    Advertised advertised = net == null ? proxied(id, peer, clientPort, logPort) : namespaced(id, peer, clientPort, logPort);
    OffsetControl clock = new OffsetControl(dataDir.resolve(CLOCK_OFFSET_FILE));
    clocks.put(id, clock);
    NodeCommand command = new NodeCommand(id, name, advertised.zk(), guest, hostOf(id),
        clientPort, logPort, advertised.clientPort(), advertised.logPort(), dataDir,
        timeOriginNanos, unsafe, security);
    ManagedProcess process = ManagedProcess.start(id, () -> launch(id, command.args(), dataDir.resolve("stdout.log")));
    NodeHandle node = new NodeHandle(id, process, hostOf(id), clientPort, logPort, dataDir);
    nodes.add(node);
    LOG.debug("started node {}: {}", id, command.args());
    return node;
  }

  /** What a node publishes and where it finds ZooKeeper. */
  private record Advertised(String zk, int clientPort, int logPort) {}

  /** The proxy mode: a fault proxy in front of each of the node's links, whose ports the node publishes. */
  private Advertised proxied(String id, String peer, int clientPort, int logPort) {
    long proxySeed = seed ^ id.hashCode();
    FaultProxy clientProxy = proxy(id + "-client", clientPort, proxySeed);
    FaultProxy logProxy = proxy(id + "-log", tapLogs ? tap(id + "-log", logPort) : logPort, proxySeed + 1);
    List<FaultProxy> zkProxies = new ArrayList<>();
    for (int i = 0; i < zkPorts.size(); i++) {
      zkProxies.add(proxy(id + "-zk" + (i + 1), zkPorts.get(i), proxySeed + 2 + i));
    }
    links.add(new Link(clientProxy.name(), Link.Kind.CLIENT, Link.CLIENTS, id, clientProxy));
    if (peer != null) {
      links.add(new Link(logProxy.name(), Link.Kind.LOGGING, peer, id, logProxy));
    }
    for (int i = 0; i < zkServers.size(); i++) {
      links.add(new Link(zkProxies.get(i).name(), Link.Kind.ZOOKEEPER, id, zkServers.get(i).name(), zkProxies.get(i)));
    }
    String nodeZk = String.join(",", zkProxies.stream().map(p -> Ports.HOST + ":" + p.listenAddress().getPort()).toList());
    return new Advertised(nodeZk, clientProxy.listenAddress().getPort(), logProxy.listenAddress().getPort());
  }

  /** The netns mode: the node's own sockets, each link faulted by iptables rules in its server's namespace. */
  private Advertised namespaced(String id, String peer, int clientPort, int logPort) {
    links.add(new Link(id + "-client", Link.Kind.CLIENT, Link.CLIENTS, id, new NetnsLink(net, id + "-client", null, id, clientPort)));
    if (peer != null) {
      links.add(new Link(id + "-log", Link.Kind.LOGGING, peer, id, new NetnsLink(net, id + "-log", peer, id, logPort)));
    }
    for (int i = 0; i < zkServers.size(); i++) {
      String zk = zkServers.get(i).name();
      String linkName = id + "-" + zk;
      links.add(new Link(linkName, Link.Kind.ZOOKEEPER, id, zk, new NetnsLink(net, linkName, id, zk, zkPorts.get(i))));
    }
    return new Advertised(zkConnect, clientPort, logPort);
  }

  private FaultProxy proxy(String proxyName, int targetPort, long proxySeed) {
    FaultProxy p = FaultProxy.builder(Ports.local(0), Ports.local(targetPort)).name(proxyName).seed(proxySeed).start();
    proxies.add(p);
    return p;
  }

  /** Unix ns of the run's time origin: node event times count from it. */
  public void joinedSince(long originUnixNanos) {
    this.originUnixNanos = originUnixNanos;
  }

  /**
   * True when the node's last role record ({@code primary} or {@code backup}) is newer than the start
   * of its current process and names the newest epoch any node is primary of: it holds a current copy
   * of the state. Reads the event logs' role lines.
   */
  @Override
  public boolean joined(String node) {
    NodeHandle handle = nodes.stream().filter(n -> n.id().equals(node)).findFirst().orElse(null);
    if (handle == null || !handle.process().isAlive()) {
      return false;
    }
    Optional<java.time.Instant> started = handle.process().process().info().startInstant();
    Path events = handle.dataDir().resolve(dev.lockstep.histories.run.RunDirectory.EVENTS_JSONL);
    if (!Files.isRegularFile(events)) {
      return false;
    }
    String last = lastRoleLine(node, events);
    if (last == null || !(last.contains("\"role\":\"primary\"") || last.contains("\"role\":\"backup\""))) {
      return false;
    }
    if (epochOf(last) < newestPrimaryEpoch()) {
      return false; // a primary went on without it (alone, in a later epoch): its state is stale
    }
    java.util.regex.Matcher time = ROLE_TIME.matcher(last);
    if (!time.find() || started.isEmpty()) {
      return true;
    }
    long at = originUnixNanos + Long.parseLong(time.group(1));
    java.time.Instant start = started.get();
    // TRICKY: /proc gives the start in clock ticks (10 ms); a role taken in the same tick still counts.
    return at >= start.getEpochSecond() * 1_000_000_000L + start.getNano() - START_TICK_NANOS;
  }

  /** The highest epoch any node's last role line names as primary. */
  private long newestPrimaryEpoch() {
    long newest = -1;
    for (NodeHandle n : nodes) {
      String line = lastRoleLine(n.id(), n.dataDir().resolve(dev.lockstep.histories.run.RunDirectory.EVENTS_JSONL));
      if (line != null && line.contains("\"role\":\"primary\"")) {
        newest = Math.max(newest, epochOf(line));
      }
    }
    return newest;
  }

  private static long epochOf(String roleLine) {
    java.util.regex.Matcher m = ROLE_EPOCH.matcher(roleLine);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The last role line of a node's event log, read on from where the previous call stopped. */
  private synchronized String lastRoleLine(String node, Path events) {
    if (!Files.isRegularFile(events)) {
      return lastRoles.get(node);
    }
    long[] offset = roleOffsets.computeIfAbsent(node, n -> new long[1]);
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(events.toFile(), "r")) {
      if (f.length() < offset[0]) {
        offset[0] = 0; // a new file
        lastRoles.remove(node);
      }
      f.seek(offset[0]);
      byte[] tail = new byte[(int) Math.min(f.length() - offset[0], Integer.MAX_VALUE - 8)];
      f.readFully(tail);
      int end = tail.length;
      while (end > 0 && tail[end - 1] != '\n') {
        end--; // a line still being written is read next time
      }
      for (String line : new String(tail, 0, end, StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith(ROLE_LINE)) {
          lastRoles.put(node, line);
        }
      }
      offset[0] += end;
    } catch (IOException e) {
      return lastRoles.get(node);
    }
    return lastRoles.get(node);
  }

  /** Where {@link #primary()} learns who the primary is (the run's ZooKeeper watch). */
  public void primarySource(Supplier<Optional<String>> source) {
    this.primary = source;
  }

  @Override
  public List<String> nodes() {
    return nodes.stream().map(NodeHandle::id).toList();
  }

  @Override
  public Optional<String> primary() {
    return primary.get();
  }

  /** The node that is alive and not the primary: the backup, or the node that will become it. */
  @Override
  public Optional<String> backup() {
    Optional<String> p = primary();
    return nodes.stream().filter(n -> n.process().isAlive()).map(NodeHandle::id)
        .filter(id -> p.isPresent() && !id.equals(p.get())).findFirst();
  }

  @Override
  public List<String> zkServers() {
    return zkServers.stream().map(ManagedProcess::name).toList();
  }

  @Override
  public ManagedProcess process(String id) {
    for (NodeHandle n : nodes) {
      if (n.id().equals(id)) {
        return n.process();
      }
    }
    for (ManagedProcess zk : zkServers) {
      if (zk.name().equals(id)) {
        return zk;
      }
    }
    throw new IllegalArgumentException("no node or ZooKeeper server '" + id + "' in this test");
  }

  @Override
  public List<Link> links() {
    return List.copyOf(links);
  }

  @Override
  public OffsetControl clock(String node) {
    OffsetControl c = clocks.get(node);
    if (c == null) {
      throw new IllegalArgumentException("no node '" + node + "' in this test");
    }
    return c;
  }

  /** Restarts every node or ZooKeeper server that is not running (killed, or halted after losing go-live). */
  public List<String> restartDead() {
    List<String> restarted = new ArrayList<>();
    for (ManagedProcess zk : zkServers) {
      if (!zk.isAlive()) {
        zk.restart();
        restarted.add(zk.name());
      }
    }
    for (NodeHandle n : nodes) {
      if (!n.process().isAlive()) {
        n.process().restart();
        restarted.add(n.id());
      }
    }
    return restarted;
  }

  /** Heals every link and resumes every paused process (the end of the nemesis phase). */
  public void healAll() {
    proxies.forEach(FaultProxy::heal);
    links.forEach(l -> l.faults().heal());
    for (NodeHandle n : nodes) {
      if (n.process().isPaused()) {
        n.process().resume();
      }
    }
    for (ManagedProcess zk : zkServers) {
      if (zk.isPaused()) {
        zk.resume();
      }
    }
    clocks.values().forEach(OffsetControl::reset);
  }

  /** Where this run's throwaway secret (and TLS material) lives while it runs; deleted at close. */
  public Path secretsDir() {
    return runDir.resolve(SECRETS_DIR);
  }

  /** The run's cluster secret file (mode 600), made fresh for every run. */
  public Path secretFile() {
    return secretsDir().resolve("cluster.secret");
  }

  /** The outsider of the attack family: ZooKeeper directly, the published ports, the tapped log bytes. */
  @Override
  public Nemesis attacker(long seed) {
    return new AttackNemesis(zkConnect, name, () -> WireTap.captures(taps), seed);
  }

  private int tap(String tapName, int port) {
    try {
      WireTap t = new WireTap(tapName, Ports.local(port));
      taps.add(t);
      return t.port();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the wire tap of " + tapName, e);
    }
  }

  /** The clients' TLS context (trusting the run's CA only) when the run uses TLS, else null. */
  public SSLContext clientTls() {
    return clientTls;
  }

  private void makeSecrets(boolean tls) throws ClusterException, InterruptedException {
    try {
      ClusterSecret.generate(secretFile());
      security.addAll(List.of("--secret-file", secretFile().toString()));
      if (tls) {
        ThrowawayCa.Material m = ThrowawayCa.make(secretsDir().resolve("tls"), name);
        security.addAll(m.nodeArgs());
        clientTls = Tls.clientContext(m.ca());
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new ClusterException("cannot make the run's secret and TLS material: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (NodeHandle n : nodes) {
      quietly(n.process()::close);
    }
    quietly(this::deleteSecrets);
    for (ManagedProcess zk : zkServers) {
      quietly(zk::close);
    }
    for (FaultProxy p : proxies) {
      quietly(p::close);
    }
    for (WireTap t : taps) {
      quietly(t::close);
    }
    if (net != null) {
      quietly(net::close);
    }
  }

  private void deleteSecrets() {
    Path dir = secretsDir();
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("while stopping the cluster: {}", e.getMessage());
    }
  }
}
