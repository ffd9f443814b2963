package dev.lockstep.harness.runner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.BooleanSupplier;

/** Local addresses and bounded waits for a port to accept connections ({@link FreePorts} picks ports). */
public final class Ports {

  public static final String HOST = "127.0.0.1";
  private static final int PROBE_TIMEOUT_MS = 200;
  private static final long POLL_NANOS = 50_000_000L;

  private Ports() {}

  public static InetSocketAddress local(int port) {
    return new InetSocketAddress(HOST, port);
  }

  public static boolean accepts(int port) {
    return accepts(HOST, port);
  }

  public static boolean accepts(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MS);
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
