package dev.lockstep.harness.attack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay on one link that keeps a copy of the first bytes each connection carried in each direction,
 * as anyone on the path could: what the {@code attack} family replays. It relays every byte unchanged
 * and never injects anything.
 */
public final class WireTap implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WireTap.class);
  /** Bytes kept per direction of a connection. */
  public static final int CAPTURE_BYTES_MAX = 64 * 1024;
  /** Connections relayed at once; more are closed at once. */
  static final int CONNECTIONS_MAX = 32;
  private static final int CONNECT_TIMEOUT_MS = 2_000;
  private static final int BUFFER_BYTES = 16 * 1024;

  /** The bytes one connection carried: toward the tapped port and back. */
  public record Capture(byte[] toTarget, byte[] fromTarget) {}

  private final String name;
  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile Recording latest;
  private volatile boolean closed;

  public WireTap(String name, InetSocketAddress target) throws IOException {
    this.name = name;
    this.target = target;
    this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "wiretap-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The bytes of the last connection that carried any in both directions, or null when none did yet. */
  public Capture capture() {
    Recording r = latest;
    return r == null ? null : r.snapshot();
  }

  private void accept() {
    while (!closed) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (open.size() >= 2 * CONNECTIONS_MAX) {
        quietly(in);
        continue;
      }
      Socket out = new Socket();
      try {
        in.setTcpNoDelay(true);
        out.setTcpNoDelay(true);
        out.connect(target, CONNECT_TIMEOUT_MS);
      } catch (IOException e) {
        quietly(in);
        quietly(out);
        continue;
      }
      open.add(in);
      open.add(out);
      Recording rec = new Recording();
      pump(in, out, rec, true);
      pump(out, in, rec, false);
    }
  }

  /** One connection's copies, published once both directions carried bytes. */
  private final class Recording {
    private final ByteArrayOutputStream[] bytes = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    private boolean published;

    synchronized void add(boolean toTarget, byte[] buf, int n) {
      ByteArrayOutputStream b = bytes[toTarget ? 0 : 1];
      int keep = Math.min(n, CAPTURE_BYTES_MAX - b.size());
      if (keep <= 0) {
        return;
      }
      b.write(buf, 0, keep);
      if (!published && bytes[0].size() > 0 && bytes[1].size() > 0) {
        published = true;
        latest = this;
      }
    }

    synchronized Capture snapshot() {
      return new Capture(bytes[0].toByteArray(), bytes[1].toByteArray());
    }
  }

  private void pump(Socket from, Socket to, Recording rec, boolean toTarget) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[BUFFER_BYTES];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          rec.add(toTarget, buf, n);
          out.write(buf, 0, n);
        }
      } catch (IOException e) {
        LOG.trace("wire tap {}: {}", name, e.toString());
      } finally {
        quietly(from);
        quietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "wiretap-" + name + (toTarget ? "-in" : "-out"));
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
    for (Socket s : new ArrayList<>(open)) {
      quietly(s);
    }
    try {
      acceptor.join(CONNECT_TIMEOUT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void quietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
  }

  @Override
  public String toString() {
    return "WireTap[" + name + " -> " + target + "]";
  }

  /** The captures of every tap that has one. */
  public static List<Capture> captures(List<WireTap> taps) {
    List<Capture> all = new ArrayList<>();
    for (WireTap t : taps) {
      if (t.capture() != null) {
        all.add(t.capture());
      }
    }
    return all;
  }
}
