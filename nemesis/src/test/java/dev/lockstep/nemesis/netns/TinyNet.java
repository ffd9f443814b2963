package dev.lockstep.nemesis.netns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A process to run inside a namespace: {@code serve PORT} answers each connection with one byte and
 * closes it; {@code probe HOST PORT TIMEOUT_MS} exits 0 if it gets that byte in time, 1 otherwise.
 */
public final class TinyNet {
  private TinyNet() {}

  public static void main(String[] args) throws IOException {
    if (args[0].equals("serve")) {
      try (ServerSocket server = new ServerSocket(Integer.parseInt(args[1]))) {
        while (true) {
          try (Socket s = server.accept()) {
            s.getOutputStream().write(42);
          }
        }
      }
    }
    int timeout = Integer.parseInt(args[3]);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(args[1], Integer.parseInt(args[2])), timeout);
      s.setSoTimeout(timeout);
      System.exit(s.getInputStream().read() == 42 ? 0 : 1);
    } catch (IOException e) {
      System.exit(1);
    }
  }
}
