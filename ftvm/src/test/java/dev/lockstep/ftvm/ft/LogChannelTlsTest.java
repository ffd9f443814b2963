package dev.lockstep.ftvm.ft;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.tls.ThrowawayCa;
import dev.lockstep.ftvm.tls.Tls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logging channel over mutual TLS on 127.0.0.1: a backup whose certificate another CA signed cannot join. */
class LogChannelTlsTest {
  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final ChannelSettings S = ChannelSettings.of("c1", ChannelSettings.secretOf("s3cret-s3cret"), 4)
      .withTimeouts(Duration.ofMillis(100), Duration.ofMillis(1500));
  private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

  @TempDir static Path dir;
  private static Tls cluster;
  private static Tls stranger;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void makeCas() throws Exception {
    ThrowawayCa.Material a = ThrowawayCa.make(dir.resolve("a"), "a");
    ThrowawayCa.Material b = ThrowawayCa.make(dir.resolve("b"), "b");
    cluster = Tls.load(a.cert(), a.key(), a.ca());
    stranger = Tls.load(b.cert(), b.key(), b.ca());
  }

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
  void backupWithTheClustersCaJoinsAndEntriesAndAcksFlow() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S.withTls(cluster), "p1", p));
    Recorders.Backup b = new Recorders.Backup();
    LogClient client = track(LogClient.connect(server.address(), S.withTls(cluster), "b1", b));
    assertEquals("p1", client.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
    await().atMost(BOUND).until(() -> p.link != null);
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 1; i <= 300; i++) {
      entries.add(new LogEntry(i, new Event(i * 10L, EventKind.NIC_TX, new byte[] {(byte) i, 42})));
    }
    p.link.sendEntries(entries);
    await().atMost(BOUND).until(() -> b.entries.size() == 300);
    client.ack(300, 3000);
    await().atMost(BOUND).until(() -> !p.acks.isEmpty());
    await().atMost(BOUND).until(() -> server.stats().bytesSent() == client.stats().bytesReceived());
  }

  @Test
  void backupWithACertificateOfAnotherCaCannotJoin() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S.withTls(cluster), "p1", p));
    Recorders.Backup b = new Recorders.Backup();
    // it knows the cluster secret, yet its certificate is not the cluster CA's
    LogClient client = track(LogClient.connect(server.address(), S.withTls(stranger), "b1", b));
    assertThrows(ExecutionException.class, () -> client.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
    await().atMost(BOUND).until(() -> !b.lost.isEmpty());
    await().during(Duration.ofMillis(300)).atMost(BOUND).until(() -> p.connected.isEmpty() && p.link == null);
  }

  @Test
  void backupTrustingAnotherCaRefusesThePrimary() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S.withTls(stranger), "p1", p));
    Recorders.Backup b = new Recorders.Backup();
    LogClient client = track(LogClient.connect(server.address(), S.withTls(cluster), "b1", b));
    assertThrows(ExecutionException.class, () -> client.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
    await().atMost(BOUND).until(() -> b.entries.isEmpty() && !b.lost.isEmpty());
    assertTrue(p.connected.isEmpty());
  }

  @Test
  void plaintextBackupCannotJoinATlsPrimary() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S.withTls(cluster), "p1", p));
    Recorders.Backup b = new Recorders.Backup();
    LogClient client = track(LogClient.connect(server.address(), S, "b1", b));
    assertThrows(ExecutionException.class, () -> client.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(p.connected.isEmpty());
  }
}
