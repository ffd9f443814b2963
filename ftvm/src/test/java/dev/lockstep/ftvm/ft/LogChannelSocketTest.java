package dev.lockstep.ftvm.ft;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real LogServer and LogClient on 127.0.0.1, and stray connections that try to get in. */
class LogChannelSocketTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final ChannelSettings S = ChannelSettings.of("c1", ChannelSettings.secretOf("s3cret-s3cret"), 4)
      .withTimeouts(Duration.ofMillis(100), Duration.ofMillis(1500));
  private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

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

  private static LogEntry entry(long seq) {
    return new LogEntry(seq, new Event(seq * 100, EventKind.NIC_TX, new byte[] {(byte) seq}));
  }

  private static byte[] frame(FrameType type, long epoch, byte[] payload) {
    EmbeddedChannel enc = new EmbeddedChannel(new FrameEncoder());
    enc.writeOutbound(new Frame(type, epoch, payload));
    return ChannelPair.drain(enc);
  }

  /** Reads until the peer closes; true when it did within the bound. */
  private static boolean closedByPeer(Socket s) throws IOException {
    s.setSoTimeout((int) BOUND.toMillis());
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // Handshake frames the server sends before it gives up are of no interest.
      }
      return true;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  @Test
  void serverAndClientExchangeEntriesAcksProgressAndSnapshot() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S, "p1", p));
    Recorders.Backup b = new Recorders.Backup();
    LogClient client = track(LogClient.connect(server.address(), S, "b1", b));
    assertEquals("p1", client.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
    await().atMost(BOUND).until(() -> p.link != null);
    assertEquals(List.of("b1"), p.connected);

    byte[] snap = new byte[3 * S.snapshotChunkBytes() + 5];
    new java.util.SplittableRandom(11).nextBytes(snap);
    p.link.sendSnapshot(1000, snap);
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      entries.add(entry(i));
    }
    p.link.sendEntries(entries.subList(0, 250));
    p.link.sendEntries(entries.subList(250, 500));
    p.link.sendProgress(60_000);
    await().atMost(BOUND).until(() -> b.progress.size() == 1);
    assertEquals(500, b.entries.size());
    assertEquals(entries.get(499).event().icount(), b.entries.get(499).event().icount());
    assertArrayEquals(snap, b.snapshots.get(0));
    assertEquals(List.of(1000L), b.snapshotIcounts);

    client.ack(500, 49_000);
    await().atMost(BOUND).until(() -> !p.acks.isEmpty());
    assertTrue(server.stats().bytesSent() > snap.length + 500 * Payloads.ENTRY_HEADER_BYTES_MIN, server.stats().toString());
    await().atMost(BOUND).until(() -> server.stats().bytesSent() == client.stats().bytesReceived()
        && client.stats().bytesSent() == server.stats().bytesReceived());
    assertArrayEquals(new long[] {500, 49_000}, p.acks.get(0));
    assertTrue(p.link.writable());

    client.close("test over");
    await().atMost(BOUND).until(() -> !p.lost.isEmpty());
    assertTrue(p.lost.get(0).contains("test over"), p.lost.toString());
    await().atMost(BOUND).until(() -> !b.lost.isEmpty());
  }

  @Test
  void aBatchAndItsProgressMarkerSentTogetherArriveWholeAndInOrder() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S, "p1", p));
    List<Integer> entriesAtMarker = new CopyOnWriteArrayList<>();
    Recorders.Backup b = new Recorders.Backup() {
      @Override
      public void progress(long icount) {
        entriesAtMarker.add(entries.size());
        super.progress(icount);
      }
    };
    LogClient client = track(LogClient.connect(server.address(), S, "b1", b));
    client.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    await().atMost(BOUND).until(() -> p.link != null);
    // more entries than one frame holds: the list is cut into several batch frames, the marker last
    int perFrame = S.batchBytesMax() / Payloads.entryBytes(entry(1));
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 1; i <= 2 * perFrame + 7; i++) {
      entries.add(entry(i));
    }
    p.link.send(entries, 90_000_000L);
    p.link.send(List.of(), 90_000_001L);
    await().atMost(BOUND).until(() -> b.progress.size() == 2);
    assertEquals(entries.size(), b.entries.size());
    for (int i = 0; i < entries.size(); i++) {
      assertEquals(i + 1, b.entries.get(i).seq());
    }
    assertEquals(List.of(entries.size(), entries.size()), entriesAtMarker);
    assertEquals(List.of(90_000_000L, 90_000_001L), b.progress);
  }

  /**
   * Entries sent from the channel's own thread (the primary sends what it logged meanwhile when an ack
   * comes in) must not overtake entries another thread handed over just before.
   */
  @Test
  void entriesSentFromTheChannelThreadKeepTheirOrderAfterOnesFromAnotherThread() throws Exception {
    java.util.concurrent.CountDownLatch inAck = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    Recorders.Primary p = new Recorders.Primary() {
      @Override
      public void acked(long seq, long executedIcount) {
        super.acked(seq, executedIcount);
        if (seq == 1) {
          inAck.countDown();
          try {
            go.await(BOUND.toMillis(), TimeUnit.MILLISECONDS); // another thread sends entry 2 meanwhile
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          link.sendEntries(List.of(entry(3)));
        }
      }
    };
    LogServer server = track(LogServer.start(ANY, S, "p1", p));
    Recorders.Backup b = new Recorders.Backup();
    LogClient client = track(LogClient.connect(server.address(), S, "b1", b));
    client.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    await().atMost(BOUND).until(() -> p.link != null);
    p.link.sendEntries(List.of(entry(1)));
    await().atMost(BOUND).until(() -> b.entries.size() == 1);
    client.ack(1, 100);
    assertTrue(inAck.await(BOUND.toMillis(), TimeUnit.MILLISECONDS));
    p.link.sendEntries(List.of(entry(2)));
    go.countDown();
    await().atMost(BOUND).until(() -> b.entries.size() == 3 || !b.lost.isEmpty());
    assertEquals(List.of(), b.lost, "the backup lost its primary");
    assertEquals(List.of(1L, 2L, 3L), b.entries.stream().map(LogEntry::seq).toList());
  }

  @Test
  void heartbeatsKeepAnIdleChannelUpLongerThanTheTimeout() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S, "p1", p));
    Recorders.Backup b = new Recorders.Backup();
    LogClient client = track(LogClient.connect(server.address(), S, "b1", b));
    client.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    // Two failure timeouts of idleness: only heartbeats flow, and nobody is declared lost.
    await("nobody declared lost while idle").during(Duration.ofMillis(3000)).atMost(BOUND.plusMillis(3000))
        .until(() -> p.lost.isEmpty() && b.lost.isEmpty() && client.connected());
  }

  @Test
  void strayConnectionsCannotInjectEntries() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S, "p1", p));
    Recorders.Backup b = new Recorders.Backup();
    LogClient client = track(LogClient.connect(server.address(), S, "b1", b));
    client.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);

    // 1: an ack without a handshake.
    try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      s.getOutputStream().write(frame(FrameType.ACK, 4, Payloads.ack(new Payloads.Ack(99, 99))));
      assertTrue(closedByPeer(s));
    }
    // 2: a HELLO with the right cluster, then a guessed RESPONSE.
    try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      s.getOutputStream().write(frame(FrameType.HELLO, 4,
          Payloads.hello(new Payloads.Hello("c1", "intruder", new byte[Payloads.NONCE_BYTES]))));
      s.getOutputStream().write(frame(FrameType.RESPONSE, 4, Payloads.response(new byte[Payloads.MAC_BYTES])));
      s.getOutputStream().write(frame(FrameType.ACK, 4, Payloads.ack(new Payloads.Ack(99, 99))));
      assertTrue(closedByPeer(s));
    }
    // 3: something that is not the protocol at all.
    try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertTrue(closedByPeer(s));
    }
    // 4: a connection that says nothing is closed once the handshake deadline passes.
    try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      assertTrue(closedByPeer(s));
    }
    assertTrue(p.acks.isEmpty(), "no stray ack was applied");
    assertEquals(List.of("b1"), p.connected);
    // The real backup is undisturbed.
    client.ack(1, 1);
    await().atMost(BOUND).until(() -> p.acks.size() == 1);
    assertTrue(p.lost.isEmpty());
  }

  @Test
  void aStrayPrimaryCannotFeedABackup() throws Exception {
    try (ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Recorders.Backup b = new Recorders.Backup();
      LogClient client = track(LogClient.connect(new InetSocketAddress("127.0.0.1", fake.getLocalPort()), S, "b1", b));
      try (Socket s = fake.accept()) {
        s.getOutputStream().write(frame(FrameType.CHALLENGE, 4,
            Payloads.challenge(new Payloads.Challenge("fake", new byte[16], new byte[32]))));
        s.getOutputStream().write(frame(FrameType.LOG_BATCH, 4, Payloads.batch(List.of(entry(1)))));
        await().atMost(BOUND).until(() -> !b.lost.isEmpty());
      }
      assertTrue(b.entries.isEmpty());
      assertTrue(b.lost.get(0).contains("bad HMAC"), b.lost.toString());
      ExecutionException e = assertThrows(ExecutionException.class, () -> client.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
      assertTrue(e.getCause() instanceof LogChannelClosedException);
    }
  }

  @Test
  void connectionsAreBounded() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S, "p1", p));
    List<Socket> strays = new ArrayList<>();
    try {
      for (int i = 0; i < LogChannelInitializer.CONNECTIONS_MAX; i++) {
        strays.add(new Socket("127.0.0.1", server.address().getPort()));
      }
      Socket oneTooMany = new Socket("127.0.0.1", server.address().getPort());
      strays.add(oneTooMany);
      oneTooMany.setSoTimeout(1000);
      assertEquals(-1, oneTooMany.getInputStream().read(), "closed at once");
    } finally {
      for (Socket s : strays) {
        s.close();
      }
    }
    // Once the strays are gone, a real backup gets in.
    await().atMost(BOUND).ignoreExceptions().until(() -> {
      try (LogClient c = LogClient.connect(server.address(), S, "b1", new Recorders.Backup())) {
        return c.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS).equals("p1");
      }
    });
  }

  @Test
  void aSecondBackupIsTurnedAwayWhileOneIsConnected() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S, "p1", p));
    LogClient first = track(LogClient.connect(server.address(), S, "b1", new Recorders.Backup()));
    first.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    Recorders.Backup second = new Recorders.Backup();
    track(LogClient.connect(server.address(), S, "b2", second));
    await().atMost(BOUND).until(() -> !second.lost.isEmpty());
    assertTrue(second.lost.get(0).contains("already connected"), second.lost.toString());
    assertEquals(List.of("b1"), p.connected);
    assertTrue(first.connected());
  }

  @Test
  void aRestartedBackupIsAcceptedAfterTheFirstIsGone() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S, "p1", p));
    LogClient first = LogClient.connect(server.address(), S, "b1", new Recorders.Backup());
    first.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    first.close();
    await().atMost(BOUND).until(() -> p.lost.size() == 1);
    LogClient second = track(LogClient.connect(server.address(), S, "b2", new Recorders.Backup()));
    second.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    await().atMost(BOUND).until(() -> p.connected.size() == 2);
    assertEquals(List.of("b1", "b2"), p.connected);
  }

  @Test
  void advancingTheEpochClosesTheOldBackupAndRefusesOldEpochs() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S, "p1", p));
    Recorders.Backup old = new Recorders.Backup();
    LogClient first = track(LogClient.connect(server.address(), S, "b1", old));
    first.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    server.advanceEpoch(5);
    await().atMost(BOUND).until(() -> !old.lost.isEmpty());
    assertTrue(old.lost.get(0).contains("epoch advanced"), old.lost.toString());

    Recorders.Backup stale = new Recorders.Backup();
    track(LogClient.connect(server.address(), S, "b2", stale));
    await().atMost(BOUND).until(() -> !stale.lost.isEmpty());
    LogClient fresh = track(LogClient.connect(server.address(), S.withEpoch(5), "b3", new Recorders.Backup()));
    assertEquals("p1", fresh.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Test
  void closingReleasesTheIoThreadEvenFromACallback() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S, "p1", p));
    int before = Thread.activeCount();
    for (int i = 0; i < 5; i++) {
      LogClient c = LogClient.connect(server.address(), S, "b" + i, new Recorders.Backup());
      c.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      c.close("round " + i);
      await().atMost(BOUND).until(() -> p.lost.size() == p.connected.size());
    }
    LogClient[] self = new LogClient[1];
    Recorders.Backup closesItself = new Recorders.Backup() {
      @Override
      public void progress(long icount) {
        self[0].close("closed from a callback");
      }
    };
    self[0] = LogClient.connect(server.address(), S, "b9", closesItself);
    self[0].ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    await().atMost(BOUND).until(() -> p.link != null && p.connected.size() == 6);
    p.link.sendProgress(1);
    await().atMost(BOUND).until(() -> p.lost.size() == 6);
    assertTrue(p.lost.get(5).contains("closed from a callback"), p.lost.toString());
    await().atMost(BOUND).until(() -> Thread.activeCount() <= before + 1);
  }

  @Test
  void anAuthenticatedBackupThatFallsSilentIsLostAfterTheFailureTimeout() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S, "p1", p));
    try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      byte[] nonce = new byte[Payloads.NONCE_BYTES];
      s.getOutputStream().write(frame(FrameType.HELLO, 4, Payloads.hello(new Payloads.Hello("c1", "mute", nonce))));
      EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(S.frameBytesMax()));
      Frame challenge = null;
      s.setSoTimeout((int) BOUND.toMillis());
      while (challenge == null) {
        byte[] buf = new byte[512];
        int n = s.getInputStream().read(buf);
        decoder.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(buf, 0, n));
        challenge = decoder.readInbound();
      }
      Payloads.Challenge c = Payloads.challenge(challenge.payload());
      byte[] mac = HandshakeMac.compute(S.secret(), HandshakeMac.BACKUP, "c1", 4, "mute", c.nodeId(), nonce, c.nonce());
      s.getOutputStream().write(frame(FrameType.RESPONSE, 4, Payloads.response(mac)));
      await().atMost(BOUND).until(() -> p.connected.contains("mute"));
      long connectedAt = System.nanoTime();
      // From now on this backup says nothing, as a paused process would.
      await().atMost(BOUND).until(() -> !p.lost.isEmpty());
      long silentMs = (System.nanoTime() - connectedAt) / 1_000_000;
      assertTrue(p.lost.get(0).contains("silent"), p.lost.toString());
      assertTrue(silentMs >= S.failureTimeout().toMillis() - 300, "lost after only " + silentMs + " ms");
    }
  }

  @Test
  void aRefusedConnectionIsReportedAsPrimaryLost() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Recorders.Backup b = new Recorders.Backup();
    LogClient client = track(LogClient.connect(new InetSocketAddress("127.0.0.1", port), S, "b1", b));
    await().atMost(BOUND).until(() -> !b.lost.isEmpty());
    assertTrue(b.lost.get(0).contains("cannot connect"), b.lost.toString());
    assertTrue(client.ready().isCompletedExceptionally());
  }

  @Test
  void aPrimaryThatGoesAwayIsReportedLost() throws Exception {
    Recorders.Primary p = new Recorders.Primary();
    LogServer server = track(LogServer.start(ANY, S, "p1", p));
    Recorders.Backup b = new Recorders.Backup();
    LogClient client = LogClient.connect(server.address(), S, "b1", b);
    client.ready().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    server.close();
    open.remove(server);
    await().atMost(BOUND).until(() -> !b.lost.isEmpty());
    client.close();
  }
}
