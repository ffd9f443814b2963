package dev.lockstep.nemesis.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Streams stay byte-exact while faults that must not lose bytes change under them. */
class FaultChurnTest {
  private static final int CLIENTS = 6;
  private static final int BYTES_PER_CLIENT = 200_000;
  private static final int CHANGES = 60;

  private static final List<Fault> LOSSLESS =
      List.of(
          Fault.pass(),
          Fault.cut(),
          Fault.delay(Duration.ofMillis(5), Duration.ofMillis(5)),
          Fault.throttle(200_000));

  @Test
  void echoedStreamsAreIntactAfterFaultChurn() throws Exception {
    try (EchoServer server = new EchoServer();
        FaultProxy proxy =
            FaultProxy.builder(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server.address())
                .seed(7)
                .queueBytesMax(32 * 1024)
                .start()) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicInteger verified = new AtomicInteger();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int id = c;
        Thread t = new Thread(() -> runClient(proxy.listenAddress(), id, verified, failure), "client-" + c);
        t.setDaemon(true);
        t.start();
        clients.add(t);
      }
      SplittableRandom random = new SplittableRandom(7);
      AtomicInteger changes = new AtomicInteger();
      ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor();
      try {
        chaos.scheduleAtFixedRate(
            () -> {
              if (changes.incrementAndGet() <= CHANGES) {
                Direction d = random.nextBoolean() ? Direction.UPSTREAM : Direction.DOWNSTREAM;
                proxy.set(d, LOSSLESS.get(random.nextInt(LOSSLESS.size())));
              } else {
                proxy.heal();
              }
            },
            0, 20, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> verified.get() == CLIENTS || failure.get() != null);
      } finally {
        chaos.shutdownNow();
        chaos.awaitTermination(5, TimeUnit.SECONDS);
      }
      if (failure.get() != null) {
        throw new AssertionError("a client failed", failure.get());
      }
      assertEquals(CLIENTS, verified.get());
      assertTrue(changes.get() >= 10, "only " + changes.get() + " fault changes overlapped the transfer");
      for (Thread t : clients) {
        t.join(5_000);
      }
    }
  }

  private static void runClient(InetSocketAddress address, int id, AtomicInteger verified, AtomicReference<Throwable> failure) {
    byte[] sent = new byte[BYTES_PER_CLIENT];
    new SplittableRandom(id).nextBytes(sent);
    try (Socket s = new Socket()) {
      s.connect(address, 5_000);
      s.setSoTimeout(30_000);
      Thread writer =
          new Thread(
              () -> {
                try {
                  OutputStream out = s.getOutputStream();
                  for (int off = 0; off < sent.length; off += 1_000) {
                    out.write(sent, off, Math.min(1_000, sent.length - off));
                  }
                  out.flush();
                } catch (IOException e) {
                  failure.compareAndSet(null, e);
                }
              });
      writer.setDaemon(true);
      writer.start();
      byte[] got = new byte[sent.length];
      InputStream in = s.getInputStream();
      int off = 0;
      while (off < got.length) {
        int n = in.read(got, off, got.length - off);
        if (n < 0) {
          throw new IOException("client " + id + ": closed after " + off + " bytes");
        }
        off += n;
      }
      assertArrayEquals(sent, got, "client " + id + " stream corrupted");
      verified.incrementAndGet();
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }
}
