package dev.lockstep.ftvm.client;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a node's client port in front of a kv guest, on a real loopback socket: the length
 * framing of the client port and the guest's at-most-once reply cache (DEVICES.md), plus knobs to
 * misbehave (swallow requests, send stale and foreign replies first, never answer). It tests the client's
 * side of the protocol only; the real node is tested by its own suite.
 */
final class GuestStub implements AutoCloseable {
  final ServerSocket server;
  final List<int[]> received = new CopyOnWriteArrayList<>();
  final AtomicInteger executed = new AtomicInteger();
  /** Requests to swallow without a reply before answering. */
  final AtomicInteger swallow = new AtomicInteger();
  volatile boolean silent;
  volatile boolean noise;
  private final Map<Integer, Integer> kv = new HashMap<>();
  private final Map<Integer, byte[]> lastReply = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> lastSeq = new ConcurrentHashMap<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private int outSeq;
  private final Thread acceptor;

  GuestStub() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "guest-stub");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        Thread t = new Thread(() -> serve(s), "guest-stub-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      while (true) {
        byte[] req = new byte[in.readInt()];
        in.readFully(req);
        ByteBuffer b = ByteBuffer.wrap(req).order(ByteOrder.LITTLE_ENDIAN);
        int client = b.getInt();
        int seq = b.getInt();
        int op = b.get();
        b.position(12);
        int key = b.getInt();
        int a1 = b.getInt();
        int a2 = b.getInt();
        received.add(new int[] {client, seq, op});
        if (silent || swallow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          continue;
        }
        byte[] reply = handle(client, seq, op, key, a1, a2);
        if (reply == null) {
          continue;
        }
        if (noise) {
          write(out, header(client, seq - 1, 999, 0, op, new byte[0]));
          write(out, header(client + 1, seq, 998, 0, op, new byte[0]));
        }
        write(out, reply);
      }
    } catch (IOException e) {
      // The client hung up or the stub closed.
    }
  }

  private synchronized byte[] handle(int client, int seq, int op, int key, int a1, int a2) {
    Integer last = lastSeq.get(client);
    if (last != null && seq == last) {
      return lastReply.get(client);
    }
    if (last != null && Integer.compareUnsigned(seq, last) < 0) {
      return null;
    }
    executed.incrementAndGet();
    int status = 0;
    byte[] body = new byte[0];
    switch (op) {
      case 1 -> {
        Integer v = kv.get(key);
        if (v == null) {
          status = 2;
        } else {
          body = le(v);
        }
      }
      case 2 -> kv.put(key, a1);
      case 3 -> {
        Integer v = kv.get(key);
        if (v == null) {
          status = 2;
        } else if (v != a1) {
          status = 1;
        } else {
          kv.put(key, a2);
        }
      }
      case 4 -> status = 4;
      default -> status = 3;
    }
    byte[] reply = header(client, seq, ++outSeq, status, op, body);
    lastSeq.put(client, seq);
    lastReply.put(client, reply);
    return reply;
  }

  private static byte[] le(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  private static byte[] header(int client, int seq, int out, int status, int op, byte[] body) {
    return ByteBuffer.allocate(16 + body.length).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(client).putInt(seq).putInt(out).put((byte) status).put((byte) op).putShort((short) 0).put(body).array();
  }

  private static void write(DataOutputStream out, byte[] packet) throws IOException {
    synchronized (out) {
      out.writeInt(packet.length);
      out.write(packet);
      out.flush();
    }
  }

  /** Drops every open connection, as a crashed node's kernel would. */
  void dropConnections() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    dropConnections();
  }
}
