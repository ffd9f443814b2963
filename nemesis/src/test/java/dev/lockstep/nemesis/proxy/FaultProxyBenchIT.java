package dev.lockstep.nemesis.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockstep.nemesis.NanoClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a passing proxy costs: round-trip latency against a direct connection, and throughput. */
class FaultProxyBenchIT {
  private static final int PINGS = 2_000;
  private static final int THROUGHPUT_BYTES = 64 * 1024 * 1024;

  @Test
  void latencyAndThroughput() throws Exception {
    try (EchoServer server = new EchoServer();
        FaultProxy proxy =
            FaultProxy.builder(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server.address()).start()) {
      System.out.println("direct_rtt_us_median=" + medianRttMicros(server.address()));
      System.out.println("proxy_rtt_us_median=" + medianRttMicros(proxy.listenAddress()));
      System.out.println("proxy_throughput_mib_per_s=" + throughputMbPerSecond(proxy.listenAddress()));
    }
  }

  private static long medianRttMicros(InetSocketAddress address) throws IOException {
    long[] rtt = new long[PINGS];
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(address, 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 0; i < PINGS; i++) {
        long start = NanoClock.SYSTEM.nanoTime();
        out.write(i & 0x7f);
        out.flush();
        assertEquals(i & 0x7f, in.read());
        rtt[i] = (NanoClock.SYSTEM.nanoTime() - start) / 1_000;
      }
    }
    Arrays.sort(rtt);
    return rtt[PINGS / 2];
  }

  private static long throughputMbPerSecond(InetSocketAddress address) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(address, 2000);
      s.setSoTimeout(10_000);
      AtomicReference<IOException> writeFailure = new AtomicReference<>();
      long start = NanoClock.SYSTEM.nanoTime();
      Thread writer =
          new Thread(
              () -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                  OutputStream out = s.getOutputStream();
                  for (int sent = 0; sent < THROUGHPUT_BYTES; sent += chunk.length) {
                    out.write(chunk);
                  }
                  out.flush();
                } catch (IOException e) {
                  writeFailure.set(e);
                }
              });
      writer.start();
      byte[] buf = new byte[64 * 1024];
      long received = 0;
      InputStream in = s.getInputStream();
      while (received < THROUGHPUT_BYTES) {
        int n = in.read(buf);
        if (n < 0) {
          throw new IOException("closed after " + received + " bytes");
        }
        received += n;
      }
      long elapsed = NanoClock.SYSTEM.nanoTime() - start;
      writer.join(10_000);
      if (writeFailure.get() != null) {
        throw writeFailure.get();
      }
      return Math.round(THROUGHPUT_BYTES / (elapsed / 1e9) / (1024 * 1024));
    }
  }
}
