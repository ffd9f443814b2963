package dev.lockstep.ftvm.node.host;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports for processes this one starts (nodes, ZooKeeper): picked here, bound there once the
 * child is up, a second or so later.
 */
public final class FreePorts {
  /** The lowest port {@link #free()} hands out. */
  static final int PORT_LOW = 10_000;
  private static final int EPHEMERAL_LOW_DEFAULT = 32_768;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  /** Where this JVM's next search starts: random, so two test runs on one machine start apart. */
  private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 20));

  private FreePorts() {}

  /**
   * A port that was free a moment ago; the caller binds it soon after. It lies below the kernel's
   * ephemeral range, so no outgoing connection (a proxy's, a client's, ZooKeeper's) and no bind to
   * port 0 can take it in between. Each call in this JVM hands out another port.
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
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free local port: " + e.getMessage(), e);
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false); // a port with connections still in TIME_WAIT counts as taken
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
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
}
