package dev.lockstep.ftvm.node.host;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.client.FtClient;
import dev.lockstep.ftvm.client.GuestProtocol;
import dev.lockstep.ftvm.client.Request;
import dev.lockstep.ftvm.client.Result;
import dev.lockstep.ftvm.client.Status;
import dev.lockstep.ftvm.ft.ChannelSettings;
import dev.lockstep.ftvm.golive.Coordinator;
import dev.lockstep.ftvm.golive.PrimaryRecord;
import dev.lockstep.ftvm.golive.ZkAuth;
import dev.lockstep.ftvm.guests.Guests;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.NodeExit;
import dev.lockstep.ftvm.node.it.BlackholeProxy;
import dev.lockstep.ftvm.node.records.NodeEventLog;
import dev.lockstep.ftvm.node.records.ReplayLogSink;
import dev.lockstep.ftvm.node.records.ReplaySegments;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.ReplayLogReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes run in this JVM (real ZooKeeper server, real sockets on 127.0.0.1, the real kv guest); a halt
 * is recorded instead of ending the JVM. A partition proxy stands between a node and ZooKeeper.
 */
class NodeTest {

  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final Duration SESSION = Duration.ofMillis(1500);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  /** Generous: a loaded test machine must not make primary and backup lose each other. */
  private static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(3);
  /** How long a reply must stay away to count as held. */
  private static final int HELD_MS = 1500;
  private static final String CLUSTER = "c1";
  private static final String SECRET = "node-test-secret";
  private static final byte[] KV = Guests.load("kv");

  @TempDir Path dir;
  private TestingServer zk;
  private final List<Running> nodes = new ArrayList<>();
  private final List<AutoCloseable> open = new ArrayList<>();

  /** A node thread and what became of it. */
  private record Running(String id, Node node, Thread thread, AtomicInteger exit, AtomicInteger halted,
      Path data, int clientPort) {
    boolean ended() {
      return !thread.isAlive();
    }
  }

  /** Thrown by the test's halter so the halting thread stops where the process would have ended. */
  private static final class Halted extends Error {
    Halted(int code) {
      super("halted with exit " + code, null, false, false);
    }
  }

  @BeforeEach
  void startZk() throws Exception {
    InstanceSpec spec = new InstanceSpec(dir.resolve("zk").toFile(), -1, -1, -1, true, 1, 100, -1);
    zk = new TestingServer(spec, true);
  }

  @AfterEach
  void stopAll() throws Exception {
    // primaries first: their SHUTDOWN entry ends their backups
    for (Running r : nodes) {
      r.node().shutdown();
    }
    for (Running r : nodes) {
      r.thread().join(Duration.ofSeconds(10).toMillis());
    }
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    zk.close();
  }

  // ---- fix: a restarted node never boots a fresh guest past epoch 0 ----

  @Test
  void aNodeRestartedIntoAnEpochPastZeroWaitsForAPrimaryInsteadOfBootingAFreshGuest() throws Exception {
    Running first = start("n1", zk.getConnectString(), HostClock.SYSTEM);
    awaitPrimary("n1", 1);
    assertEquals("ok", ok(write(1, 42)));
    first.node().shutdown();
    await().atMost(BOUND).until(first::ended);
    assertEquals(NodeExit.CLEAN, first.exit().get());

    // the cluster is at epoch 1 and its state went away with n1: a fresh guest would serve an empty register
    Running again = start("n1", zk.getConnectString(), fastClock());
    await().atMost(BOUND).until(again::ended);
    assertEquals(NodeExit.JOIN_FAILED, again.exit().get(), "the restarted node gives up after its bounded wait");
    assertEquals(-1, again.halted().get());
    Coordinator view = coordinator("viewer", zk.getConnectString());
    assertEquals(1, view.readEpoch(), "nobody went live again");
    assertTrue(view.primary().isEmpty());
    String notes = Files.readString(again.data().resolve(NodeEventLog.NOTES_JSONL));
    assertTrue(notes.contains("waiting-to-join") && notes.contains("at epoch 1 with no primary published"), notes);
    long attempts = Files.readAllLines(again.data().resolve("events.jsonl")).stream()
        .filter(l -> l.contains("\"type\":\"golive\"")).count();
    assertEquals(2, attempts, "only the first run's attempt and win are in the event log");
  }

  @Test
  void aFreshBootNeedsEpochZeroInTheSameTransaction() throws Exception {
    Coordinator other = coordinator("other", zk.getConnectString());
    assertTrue(other.tryGoLive(0).won());
    other.close(); // epoch 1 and its go-live node gone: as if its primary died before publishing
    Running n = start("n1", zk.getConnectString(), fastClock());
    await().atMost(BOUND).until(n::ended);
    assertEquals(NodeExit.JOIN_FAILED, n.exit().get());
    assertEquals(1, coordinator("viewer", zk.getConnectString()).readEpoch());
  }

  // ---- fix: logs closed on every ending; one replay segment per run ----

  @Test
  void aCleanStopLeavesAWholeReplayLogAndARestartWritesTheNextSegment() throws Exception {
    Running n = start("n1", zk.getConnectString(), HostClock.SYSTEM);
    awaitPrimary("n1", 1);
    for (int i = 1; i <= 5; i++) {
      assertEquals("ok", ok(write(1, i)));
    }
    n.node().shutdown();
    await().atMost(BOUND).until(n::ended);
    assertEquals(NodeExit.CLEAN, n.exit().get());

    Path first = n.data().resolve("replay.log");
    List<Event> events = readReplayLog(first);
    assertEquals(5, events.stream().filter(e -> e.kind() == EventKind.PACKET).count(), "one packet per request");
    assertEquals(5, events.stream().filter(e -> e.kind() == EventKind.NIC_TX).count(), "one reply per request");
    assertEquals(EventKind.SHUTDOWN, events.get(events.size() - 1).kind(), "the log ends with the shutdown");
    assertTrue(Files.readString(n.data().resolve("events.jsonl")).contains("\"type\":\"output\""));
    byte[] firstBytes = Files.readAllBytes(first);

    Running again = start("n1", zk.getConnectString(), fastClock());
    await().atMost(BOUND).until(again::ended);
    assertArrayEquals(firstBytes, Files.readAllBytes(first), "the first run's replay log is kept");
    Path second = n.data().resolve("replay-2.log");
    assertEquals(List.of(first, second), ReplaySegments.list(n.data()));
    assertEquals(List.of(), readReplayLog(second), "the second run recorded nothing and closed its log");
  }

  @Test
  void aHaltClosesTheLogsBeforeTheProcessEnds() throws Exception {
    BlackholeProxy proxy = zkProxy();
    Running n = start("n1", "127.0.0.1:" + proxy.port(), HostClock.SYSTEM);
    awaitPrimary("n1", 1);
    assertEquals("ok", ok(write(1, 1)));
    proxy.cut();
    await().atMost(BOUND).until(() -> notes(n).contains("zk-session-lost"));
    Coordinator intruder = coordinator("x", zk.getConnectString());
    await().atMost(BOUND).until(() -> intruder.primary().isEmpty());
    assertTrue(intruder.tryGoLive(1).won());
    proxy.heal();
    await().atMost(BOUND).until(() -> n.halted().get() >= 0);
    List<Event> events = readReplayLog(n.data().resolve("replay.log"));
    assertEquals(1, events.stream().filter(e -> e.kind() == EventKind.PACKET).count());
    assertTrue(notes(n).contains("\"type\":\"halt\""));
  }

  // ---- fix: a lost ZooKeeper session does not end the cluster ----

  @Test
  void aPrimaryAloneHoldsOutputWhileItsSessionIsLostAndGoesOnOnceItsEpochIsConfirmed() throws Exception {
    BlackholeProxy proxy = zkProxy();
    Running n = start("n1", "127.0.0.1:" + proxy.port(), HostClock.SYSTEM);
    awaitPrimary("n1", 1);
    assertEquals("ok", ok(write(1, 1)));
    proxy.cut();
    await().atMost(BOUND).until(() -> notes(n).contains("zk-session-lost"));
    Coordinator view = coordinator("viewer", zk.getConnectString());
    await().atMost(BOUND).until(() -> view.primary().isEmpty()); // the server expired the session
    try (Socket s = clientSocket(n)) {
      send(s, GuestProtocol.Request.write(77, 1, 2, 5));
      s.setSoTimeout(HELD_MS);
      assertThrows(SocketTimeoutException.class, () -> receive(s), "a primary alone without ZooKeeper's word released");
      proxy.heal();
      s.setSoTimeout((int) BOUND.toMillis());
      GuestProtocol.Reply reply = GuestProtocol.decodeReply(receive(s), GuestProtocol.Server.KV);
      assertEquals(Status.OK, reply.status(), "the held reply leaves once the epoch is confirmed");
    }
    assertEquals(-1, n.halted().get(), "no halt");
    assertTrue(notes(n).contains("zk-session-reclaimed"), "noted before the first release");
    await().atMost(BOUND).until(() -> view.primary().map(p -> p.epoch() == 1 && p.node().nodeId().equals("n1")).orElse(false));
    assertEquals(1, view.readEpoch());
    assertEquals("ok", ok(write(1, 3)));
  }

  @Test
  void aPrimaryWhoseEpochMovedOnWhileItsSessionWasLostHaltsWithoutReleasing() throws Exception {
    BlackholeProxy proxy = zkProxy();
    Running n = start("n1", "127.0.0.1:" + proxy.port(), HostClock.SYSTEM);
    awaitPrimary("n1", 1);
    assertEquals("ok", ok(write(1, 1)));
    proxy.cut();
    await().atMost(BOUND).until(() -> notes(n).contains("zk-session-lost"));
    Coordinator intruder = coordinator("x", zk.getConnectString());
    await().atMost(BOUND).until(() -> intruder.primary().isEmpty());
    assertTrue(intruder.tryGoLive(1).won());
    try (Socket s = clientSocket(n)) {
      send(s, GuestProtocol.Request.write(77, 1, 2, 5));
      proxy.heal();
      await().atMost(BOUND).until(() -> n.halted().get() >= 0);
      assertEquals(NodeExit.ZK_SESSION_LOST, n.halted().get());
      s.setSoTimeout(HELD_MS);
      assertThrows(IOException.class, () -> receive(s), "a halted node released an output");
    }
    assertFalse(Files.readString(n.data().resolve("events.jsonl")).contains("\"clientId\":77"));
  }

  @Test
  void aPrimaryWithItsBackupKeepsServingWhileZooKeeperIsCutFromBoth() throws Exception {
    BlackholeProxy proxy = zkProxy();
    String zkViaProxy = "127.0.0.1:" + proxy.port();
    Running p = start("n1", zkViaProxy, HostClock.SYSTEM);
    awaitPrimary("n1", 1);
    Running b = start("n2", zkViaProxy, HostClock.SYSTEM);
    Coordinator view = coordinator("viewer", zk.getConnectString());
    await().atMost(BOUND).until(() -> view.backup().map(r -> r.node().nodeId().equals("n2")).orElse(false));
    await().atMost(BOUND).until(() -> notes(p).contains("backup-attached"));
    assertEquals("ok", ok(write(1, 1)));
    assertEquals(1, view.readEpoch(), "precondition: primary and backup of epoch 1");

    proxy.cut();
    await().atMost(BOUND).until(() -> notes(p).contains("zk-session-lost") && notes(b).contains("zk-session-lost"));
    await().atMost(BOUND).until(() -> view.primary().isEmpty() && view.backup().isEmpty());
    try (Socket s = clientSocket(p)) {
      s.setSoTimeout((int) CALL_TIMEOUT.toMillis());
      for (int v = 2; v <= 4; v++) {
        send(s, GuestProtocol.Request.write(77, v, 1, v));
        GuestProtocol.Reply r = GuestProtocol.decodeReply(receive(s), GuestProtocol.Server.KV);
        assertEquals(Status.OK, r.status(), "write " + v + " while ZooKeeper is cut");
      }
    }
    proxy.heal();
    await().atMost(BOUND).until(() -> notes(p).contains("zk-session-reclaimed"));
    await().atMost(BOUND).until(() -> view.primary().map(r -> r.node().nodeId().equals("n1")).orElse(false)
        && view.backup().map(r -> r.node().nodeId().equals("n2")).orElse(false));
    assertEquals(-1, p.halted().get());
    assertEquals(-1, b.halted().get());
    assertFalse(p.ended() || b.ended());
    assertEquals(1, view.readEpoch());
    assertEquals("ok", ok(write(1, 5)));
  }

  // ---- an idle primary spins only briefly before it sleeps ----

  @Test
  void anIdlePrimarysDriverSleepsInsteadOfSpinning() throws Exception {
    Running n = start("n1", zk.getConnectString(), HostClock.SYSTEM);
    awaitPrimary("n1", 1);
    assertEquals("ok", ok(write(1, 1))); // the guest now waits for the next packet
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getThreadCpuTime(n.thread().getId());
    long t0 = System.nanoTime();
    await().atMost(BOUND).until(() -> System.nanoTime() - t0 >= 1_000_000_000L);
    double busy = (double) (threads.getThreadCpuTime(n.thread().getId()) - cpu0) / (System.nanoTime() - t0);
    // a driver that never slept would use a whole CPU; an idle one wakes at most every 20 ms
    assertTrue(busy < 0.25, "the idle primary's driver used " + Math.round(busy * 100) + "% of a CPU");
  }

  // ---- a port another process holds: one line and its own exit code, not a stack trace ----

  @Test
  void aTakenClientPortEndsTheNodeWithAReasonNamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Running n = start("n1", zk.getConnectString(), HostClock.SYSTEM, taken.getLocalPort());
      await().atMost(BOUND).until(n::ended);
      assertEquals(NodeExit.PORT_UNAVAILABLE, n.exit().get());
      String notes = notes(n);
      assertTrue(notes.contains("listen-failed") && notes.contains("127.0.0.1:" + taken.getLocalPort())
          && notes.contains("--client-port"), notes);
    }
  }

  @Test
  void aNodeWithAnotherSecretEndsNamingTheZnodeItWasRefused() throws Exception {
    start("n1", zk.getConnectString(), HostClock.SYSTEM);
    awaitPrimary("n1", 1);
    Running intruder = start("n2", zk.getConnectString(), HostClock.SYSTEM, FreePorts.free(), "not-the-cluster-secret");
    await().atMost(BOUND).until(intruder::ended);
    assertEquals(NodeExit.ZK_ACCESS_DENIED, intruder.exit().get());
    String notes = notes(intruder);
    assertTrue(notes.contains("zk-access-denied") && notes.contains("/lockstep/clusters/" + CLUSTER), notes);
    assertEquals("ok", ok(write(1, 7)), "the cluster serves on");
  }

  // ---- helpers ----

  private Running start(String id, String zkConnect, HostClock clock) throws Exception {
    return start(id, zkConnect, clock, FreePorts.free());
  }

  private Running start(String id, String zkConnect, HostClock clock, int clientPort) throws Exception {
    return start(id, zkConnect, clock, clientPort, SECRET);
  }

  private Running start(String id, String zkConnect, HostClock clock, int clientPort, String secret) throws Exception {
    Path data = dir.resolve(id);
    NodeSettings s = new NodeSettings(id, CLUSTER, zkConnect, "kv", KV, NodeSettings.DiskMode.NONE, null,
        "127.0.0.1", clientPort, 0, 0, 0, secret, Duration.ofMillis(100), FAILURE_TIMEOUT,
        SESSION, 100, 16384, data, Set.of(), null);
    NodeEventLog events = new NodeEventLog(data.resolve("events.jsonl"), id, HostClock.SYSTEM::wallNanos);
    ReplayLogSink replay = ReplayLogSink.open(ReplaySegments.next(data), MachineConfig.RAM_BYTES_DEFAULT, 0, KV, true);
    AtomicInteger exit = new AtomicInteger(-1);
    AtomicInteger halted = new AtomicInteger(-1);
    Node node = new Node(s, clock, events, replay, null, code -> {
      halted.compareAndSet(-1, code);
      throw new Halted(code);
    });
    Thread t = new Thread(() -> {
      try {
        exit.set(node.run());
      } catch (Halted | InterruptedException e) {
        // recorded by the halter
      }
    }, "test-node-" + id);
    t.setDaemon(true);
    t.start();
    Running r = new Running(id, node, t, exit, halted, data, clientPort);
    nodes.add(r);
    return r;
  }

  /** A clock whose monotonic time leaps five seconds at every reading: bounded waits end at once. */
  private static HostClock fastClock() {
    AtomicLong mono = new AtomicLong();
    return new HostClock() {
      @Override
      public long wallMicros() {
        return HostClock.SYSTEM.wallMicros();
      }

      @Override
      public long wallNanos() {
        return HostClock.SYSTEM.wallNanos();
      }

      @Override
      public long monoNanos() {
        return mono.addAndGet(5_000_000_000L);
      }
    };
  }

  private BlackholeProxy zkProxy() throws IOException {
    BlackholeProxy p = new BlackholeProxy(0, new InetSocketAddress("127.0.0.1", zk.getPort()));
    open.add(p);
    return p;
  }

  private Coordinator coordinator(String id, String zkConnect) throws Exception {
    // the cluster's credential: its znodes refuse changes from any other session
    Coordinator c = new Coordinator(zkConnect, CLUSTER, id, SESSION, null,
        ZkAuth.fromSecret(ChannelSettings.secretOf(SECRET), CLUSTER));
    open.add(c);
    c.start();
    return c;
  }

  private void awaitPrimary(String id, long epoch) throws Exception {
    Coordinator view = coordinator("viewer-" + id + "-" + epoch, zk.getConnectString());
    await().atMost(BOUND).until(() -> {
      Optional<PrimaryRecord> p = view.primary();
      return p.isPresent() && p.get().node().nodeId().equals(id) && p.get().epoch() == epoch;
    });
  }

  private static final AtomicInteger CLIENT_IDS = new AtomicInteger(1000);

  /** One call through the client library (finds the primary in ZooKeeper); "ok" or what it was. */
  private String ok(Request r) {
    try (FtClient c = new FtClient(zk.getConnectString(), CLUSTER, CLIENT_IDS.incrementAndGet(), CALL_TIMEOUT)) {
      Result res = c.call(r);
      return res instanceof Result.Ok ? "ok" : res.toString();
    }
  }

  private static Request write(int key, int value) {
    return Request.write(key, value);
  }

  private static String notes(Running r) throws IOException {
    Path f = r.data().resolve(NodeEventLog.NOTES_JSONL);
    return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
  }

  private static List<Event> readReplayLog(Path file) throws IOException {
    List<Event> out = new ArrayList<>();
    try (ReplayLogReader r = ReplayLogReader.open(file)) {
      assertTrue(r.header().matchesImage(KV), "header of " + file);
      Event e;
      while ((e = r.take()) != null) {
        out.add(e);
      }
    }
    return out;
  }

  private static Socket clientSocket(Running r) throws IOException {
    return new Socket("127.0.0.1", r.clientPort());
  }

  private static void send(Socket s, GuestProtocol.Request r) throws IOException {
    byte[] p = GuestProtocol.encode(r);
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    out.writeInt(p.length);
    out.write(p);
    out.flush();
  }

  private static byte[] receive(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    byte[] p = new byte[in.readInt()];
    in.readFully(p);
    return p;
  }
}
