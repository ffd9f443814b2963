package dev.lockstep.ftvm.node.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy for tests that can cut a link the way a partition does: connections stay open but no
 * byte passes in either direction (silence, not a reset), until {@link #heal}.
 */
public final class BlackholeProxy implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean cut;
  private volatile boolean closed;

  public BlackholeProxy(int listenPort, InetSocketAddress target) throws IOException {
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress("127.0.0.1", listenPort));
    this.target = target;
    Thread t = new Thread(this::acceptLoop, "proxy-" + listenPort);
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public void cut() {
    cut = true;
  }

  public void heal() {
    cut = false;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket in = server.accept();
        if (cut) {
          sockets.add(in); // accepted into silence
          continue;
        }
        Socket out = new Socket();
        try {
          out.connect(target, 2000);
        } catch (IOException refused) {
          in.close();
          continue;
        }
        sockets.add(in);
        sockets.add(out);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      try (InputStream is = from.getInputStream(); OutputStream os = to.getOutputStream()) {
        int n;
        while ((n = is.read(buf)) >= 0) {
          if (!cut) {
            os.write(buf, 0, n);
            os.flush();
          }
        }
      } catch (IOException e) {
        // either side closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    sockets.forEach(BlackholeProxy::closeQuietly);
  }
}
