package dev.lockstep.harness.runner;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Free local ports and bounded waits for a port to accept connections. */
public final class Ports {

  public static final String HOST = "127.0.0.1";
  private static final int PROBE_TIMEOUT_MS = 200;
  private static final long POLL_NANOS = 50_000_000L;
  /** The lowest port {@link #free()} hands out. */
  static final int PORT_LOW = 10_000;
  private static final int EPHEMERAL_LOW_DEFAULT = 32_768;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  /** Where this JVM's next search starts: random, so two harnesses on one machine start apart. */
  private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 20));

  private Ports() {}

  /**
   * A port that was free a moment ago; the caller binds it soon after. It lies below the kernel's
   * ephemeral range, so no outgoing connection (a proxy's, a ZooKeeper client's) and no bind to port 0
   * can take it in between. Each call in this JVM hands out another port.
   */
  public static int free() {
    int span = ephemeralLow() - PORT_LOW;
    for (int i = 0; i < span; i++) {
      int port = PORT_LOW + Math.floorMod(NEXT.getAndIncrement(), span);
      if (bindable(port)) {
        return port;
      }
    }
    // no room below the ephemeral range: let the kernel pick
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free local port: " + e.getMessage(), e);
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false); // a port with connections still in TIME_WAIT counts as taken
      s.bind(local(port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of the kernel's ephemeral range (Linux: {@value #EPHEMERAL_LOW_DEFAULT} unless configured). */
  static int ephemeralLow() {
    try {
      // by lines: on some kernels a whole-file read of a /proc file returns only its first byte
      String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
      return Math.max(PORT_LOW, Integer.parseInt(range[0]));
    } catch (IOException | RuntimeException e) {
      return EPHEMERAL_LOW_DEFAULT;
    }
  }

  public static InetSocketAddress local(int port) {
    return new InetSocketAddress(HOST, port);
  }

  public static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(local(port), PROBE_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Polls {@code condition} until it holds or {@code timeoutNanos} pass; true if it held. */
  public static boolean await(BooleanSupplier condition, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(POLL_NANOS / 1_000_000L);
    }
    return condition.getAsBoolean();
  }
}
