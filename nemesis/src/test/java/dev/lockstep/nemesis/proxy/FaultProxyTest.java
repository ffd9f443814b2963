package dev.lockstep.nemesis.proxy;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.nemesis.NanoClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {
  private static final Duration WAIT_MAX = Duration.ofSeconds(5);
  private static final Duration QUIET = Duration.ofMillis(300);

  private EchoServer server;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    server = new EchoServer();
    proxy = proxyTo(server, FaultProxy.QUEUE_BYTES_MAX_DEFAULT);
  }

  private static FaultProxy proxyTo(EchoServer server, int queueBytesMax) {
    return FaultProxy.builder(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server.address())
        .name("test")
        .seed(42)
        .queueBytesMax(queueBytesMax)
        .start();
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    server.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(proxy.listenAddress(), 2000);
    s.setSoTimeout(100);
    await().atMost(WAIT_MAX).until(() -> server.accepted() >= 1 && proxy.connectionCount() >= 1);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads exactly n bytes, or throws SocketTimeoutException if none come within the socket timeout. */
  private static byte[] readN(Socket s, int n) throws IOException {
    byte[] buf = new byte[n];
    InputStream in = s.getInputStream();
    int off = 0;
    while (off < n) {
      int r = in.read(buf, off, n - off);
      if (r < 0) {
        throw new IOException("closed after " + off + " bytes");
      }
      off += r;
    }
    return buf;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void passForwardsBothWays() throws IOException {
    try (Socket s = connect()) {
      s.setSoTimeout(2000);
      send(s, "hello");
      assertArrayEquals(ascii("hello"), readN(s, 5));
    }
  }

  @Test
  void cutUpstreamHoldsBytesKeepsConnectionOpenAndHealReleasesThem() throws IOException {
    try (Socket s = connect()) {
      proxy.set(Direction.UPSTREAM, Fault.cut());
      send(s, "held");
      await().during(QUIET).atMost(WAIT_MAX).until(() -> server.received() == 0);
      assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
      assertEquals(0, server.ended(), "the target's connection must stay open under a cut");
      assertEquals(1, proxy.connectionCount());

      proxy.heal();
      s.setSoTimeout(2000);
      assertArrayEquals(ascii("held"), readN(s, 4));
      assertEquals(4, server.received());
    }
  }

  @Test
  void cutDownstreamDeliversUpstreamOnly() throws IOException {
    try (Socket s = connect()) {
      proxy.set(Direction.DOWNSTREAM, Fault.cut());
      send(s, "ping");
      await().atMost(WAIT_MAX).until(() -> server.received() == 4);
      assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());

      proxy.heal();
      s.setSoTimeout(2000);
      assertArrayEquals(ascii("ping"), readN(s, 4));
    }
  }

  @Test
  void dropDiscardsBytesButKeepsConnectionOpen() throws IOException {
    try (Socket s = connect()) {
      proxy.set(Direction.UPSTREAM, Fault.drop());
      send(s, "lost");
      await().during(QUIET).atMost(WAIT_MAX).until(() -> server.received() == 0);
      proxy.heal();
      send(s, "kept");
      s.setSoTimeout(2000);
      assertArrayEquals(ascii("kept"), readN(s, 4));
      assertEquals(4, server.received());
    }
  }

  @Test
  void delayHoldsEachChunkRoughlyThatLong() throws IOException {
    try (Socket s = connect()) {
      s.setSoTimeout(5000);
      proxy.set(Direction.UPSTREAM, Fault.delay(Duration.ofMillis(200), Duration.ofMillis(20)));
      proxy.set(Direction.DOWNSTREAM, Fault.delay(Duration.ofMillis(100), Duration.ZERO));
      long start = NanoClock.SYSTEM.nanoTime();
      send(s, "slow");
      assertArrayEquals(ascii("slow"), readN(s, 4));
      long elapsedMs = (NanoClock.SYSTEM.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMs >= 280, "round trip " + elapsedMs + " ms, expected >= 300 - jitter");
      assertTrue(elapsedMs < 2000, "round trip " + elapsedMs + " ms");
    }
  }

  @Test
  void delayKeepsStreamOrderUnderJitter() throws IOException {
    try (Socket s = connect()) {
      s.setSoTimeout(5000);
      proxy.set(Direction.UPSTREAM, Fault.delay(Duration.ofMillis(20), Duration.ofMillis(20)));
      StringBuilder sent = new StringBuilder();
      for (int i = 0; i < 50; i++) {
        String part = String.format("%03d;", i);
        sent.append(part);
        send(s, part);
      }
      assertArrayEquals(ascii(sent.toString()), readN(s, sent.length()));
    }
  }

  @Test
  void throttleLimitsBandwidth() throws IOException {
    int bytes = 10_000;
    try (Socket s = connect()) {
      s.setSoTimeout(5000);
      proxy.set(Direction.UPSTREAM, Fault.throttle(20_000));
      long start = NanoClock.SYSTEM.nanoTime();
      s.getOutputStream().write(new byte[bytes]);
      s.getOutputStream().flush();
      readN(s, bytes);
      long elapsedMs = (NanoClock.SYSTEM.nanoTime() - start) / 1_000_000;
      // 10 000 bytes at 20 000 B/s take 500 ms.
      assertTrue(elapsedMs >= 400, "throttled transfer took only " + elapsedMs + " ms");
      assertTrue(elapsedMs < 3000, "throttled transfer took " + elapsedMs + " ms");
    }
  }

  @Test
  void resetClosesCurrentConnectionsWithRstAndRejectsNewOnesUntilHealed() throws IOException {
    try (Socket s = connect()) {
      s.setSoTimeout(2000);
      proxy.set(Direction.UPSTREAM, Fault.reset());
      SocketException e = assertThrows(SocketException.class, () -> s.getInputStream().read());
      assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
      await().atMost(WAIT_MAX).until(() -> server.ended() == 1 && proxy.connectionCount() == 0);
    }
    try (Socket rejected = new Socket()) {
      // The RST can beat connect() back to the caller, so it may surface there or on the read.
      assertThrows(
          SocketException.class,
          () -> {
            rejected.connect(proxy.listenAddress(), 2000);
            rejected.setSoTimeout(2000);
            rejected.getInputStream().read();
          });
    }
    proxy.heal();
    try (Socket s = new Socket()) {
      s.connect(proxy.listenAddress(), 2000);
      s.setSoTimeout(2000);
      send(s, "back");
      assertArrayEquals(ascii("back"), readN(s, 4));
    }
  }

  @Test
  void resetConnectionsIsOneShot() throws IOException {
    try (Socket s = connect()) {
      s.setSoTimeout(2000);
      proxy.resetConnections();
      assertThrows(SocketException.class, () -> s.getInputStream().read());
    }
    try (Socket s = new Socket()) {
      s.connect(proxy.listenAddress(), 2000);
      s.setSoTimeout(2000);
      send(s, "ok");
      assertArrayEquals(ascii("ok"), readN(s, 2));
    }
  }

  @Test
  void flakyResetsConnections() throws IOException {
    try (Socket s = connect()) {
      s.setSoTimeout(5000);
      proxy.set(Direction.DOWNSTREAM, Fault.flaky(1.0));
      assertThrows(SocketException.class, () -> s.getInputStream().read());
    }
  }

  @Test
  void flakyWithZeroProbabilityNeverResets() throws IOException {
    try (Socket s = connect()) {
      proxy.set(Direction.DOWNSTREAM, Fault.flaky(0.0));
      await().during(QUIET).atMost(WAIT_MAX).until(() -> proxy.connectionCount() == 1);
      s.setSoTimeout(2000);
      send(s, "fine");
      assertArrayEquals(ascii("fine"), readN(s, 4));
    }
  }

  @Test
  void boundedQueueStopsReadingTheSender() throws Exception {
    proxy.close();
    proxy = proxyTo(server, 64 * 1024);
    int total = 64 * 1024 * 1024;
    AtomicLong written = new AtomicLong();
    try (Socket s = connect()) {
      proxy.set(Direction.UPSTREAM, Fault.delay(Duration.ofSeconds(60), Duration.ZERO));
      Thread writer =
          new Thread(
              () -> {
                byte[] chunk = new byte[16 * 1024];
                try {
                  OutputStream out = s.getOutputStream();
                  while (written.get() < total) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                  }
                } catch (IOException e) {
                  // closed by the test's cleanup
                }
              },
              "writer");
      writer.setDaemon(true);
      writer.start();
      // The writer stalls once kernel buffers and the proxy's bounded queue are full.
      AtomicLong last = new AtomicLong(-1);
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(300))
          .until(() -> written.get() == last.getAndSet(written.get()));
      long plateau = written.get();
      await().during(Duration.ofSeconds(1)).atMost(WAIT_MAX).until(() -> written.get() == plateau);
      assertTrue(plateau < total, "writer was never stopped: " + plateau);
      assertEquals(0, server.received());
    }
  }

  @Test
  void badSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Fault.throttle(0));
    assertThrows(IllegalArgumentException.class, () -> Fault.flaky(1.5));
    assertThrows(IllegalArgumentException.class, () -> Fault.delay(Duration.ofMillis(-1), Duration.ZERO));
  }
}
