package dev.lockstep.harness.attack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.ft.BackupLink;
import dev.lockstep.ftvm.ft.BackupListener;
import dev.lockstep.ftvm.ft.ChannelSettings;
import dev.lockstep.ftvm.ft.LogClient;
import dev.lockstep.ftvm.ft.LogEntry;
import dev.lockstep.ftvm.ft.LogServer;
import dev.lockstep.ftvm.ft.PrimaryListener;
import dev.lockstep.ftvm.golive.Coordinator;
import dev.lockstep.ftvm.golive.GoLiveResult;
import dev.lockstep.ftvm.golive.NodeAddress;
import dev.lockstep.ftvm.golive.ZkAuth;
import dev.lockstep.ftvm.node.host.ClientPortServer;
import dev.lockstep.ftvm.node.host.FreePorts;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.zk.ZkProcess;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.schedule.Family;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack family against a real ZooKeeper process, a real log server with its authenticated backup
 * behind a wire tap, and a real client port: every attempt is refused, and nothing changed.
 */
class AttackNemesisTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final String CLUSTER = "c1";
  private static final String SECRET = "attack-test-secret";
  private static final ChannelSettings CHANNEL = ChannelSettings.of(CLUSTER, ChannelSettings.secretOf(SECRET), 1)
      .withTimeouts(Duration.ofMillis(100), Duration.ofMillis(1500));

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAttemptIsRefusedAndTheClusterIsUndisturbed() throws Exception {
    ZkProcess zk = track(ZkProcess.start(FreePorts.free(), dir.resolve("zk")));
    Coordinator primary = track(new Coordinator(zk.connectString(), CLUSTER, "p", Duration.ofSeconds(4), null,
        ZkAuth.fromSecret(ChannelSettings.secretOf(SECRET), CLUSTER)));
    primary.start();
    assertEquals(new GoLiveResult.Won(1), primary.tryGoLive(0));

    // the primary's ports: a log server with its real backup connected through a tap, a client port
    List<String> lost = new CopyOnWriteArrayList<>();
    AtomicReference<BackupLink> link = new AtomicReference<>();
    LogServer server = track(LogServer.start(new InetSocketAddress("127.0.0.1", 0), CHANNEL, "p", new PrimaryListener() {
      @Override
      public void backupConnected(BackupLink l, String backupNodeId) {
        link.set(l);
      }

      @Override
      public void acked(long seq, long executedIcount) {}

      @Override
      public void backupLost(String reason) {
        lost.add(reason);
      }
    }));
    ClientPortServer clients = ClientPortServer.start(new InetSocketAddress("127.0.0.1", 0), packet -> true);
    open.add(clients);
    clients.accepting(true);
    WireTap tap = track(new WireTap("p-log", server.address()));
    List<LogEntry> received = new CopyOnWriteArrayList<>();
    LogClient backup = track(LogClient.connect(new InetSocketAddress("127.0.0.1", tap.port()), CHANNEL, "b", new BackupListener() {
      @Override
      public void snapshot(long icount, byte[] snapshot) {}

      @Override
      public void entries(List<LogEntry> batch) {
        received.addAll(batch);
      }

      @Override
      public void progress(long icount) {}

      @Override
      public void primaryLost(String reason) {
        lost.add(reason);
      }
    }));
    assertEquals("p", backup.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
    await().atMost(BOUND).until(() -> link.get() != null);
    link.get().sendEntries(List.of(new LogEntry(1, new Event(10, EventKind.NIC_TX, new byte[] {1}))));
    await().atMost(BOUND).until(() -> received.size() == 1);
    backup.ack(1, 10);
    await().atMost(BOUND).until(() -> tap.capture() != null);
    NodeAddress me = new NodeAddress("p", "127.0.0.1", clients.address().getPort(), tap.port());
    assertTrue(primary.publishPrimary(me, 1));

    AttackNemesis attacker = new AttackNemesis(zk.connectString(), CLUSTER, () -> WireTap.captures(List.of(tap)), 7);
    attacker.setup();
    try {
      for (String first : Family.ATTACK_ATTEMPTS) {
        NemesisOp done = attacker.invoke(new NemesisOp(Family.ATTACK.startF(), Map.of("attempt", first)));
        Map<String, Object> value = (Map<String, Object>) done.value();
        List<Map<String, Object>> attempts = (List<Map<String, Object>>) value.get("attempts");
        assertEquals(first, attempts.get(0).get("kind"), "the drawn attempt goes first");
        for (Map<String, Object> a : attempts) {
          assertEquals("refused", a.get("outcome"), a.toString());
        }
        assertEquals(0L, value.get("accepted"));
      }
      NemesisOp stop = new NemesisOp(Family.ATTACK.stopF(), Map.of("attempt", "bump-epoch"));
      assertEquals(stop, attacker.invoke(stop));
    } finally {
      attacker.teardown();
    }

    assertEquals(1, primary.readEpoch());
    assertEquals(me, primary.primary().orElseThrow().node());
    assertTrue(lost.isEmpty(), "the real backup was never disturbed: " + lost);
    link.get().sendEntries(List.of(new LogEntry(2, new Event(20, EventKind.NIC_TX, new byte[] {2}))));
    await().atMost(BOUND).until(() -> received.size() == 2);
  }
}
