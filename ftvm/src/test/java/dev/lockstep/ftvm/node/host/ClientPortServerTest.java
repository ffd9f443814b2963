package dev.lockstep.ftvm.node.host;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientPortServerTest {

  private final BlockingQueue<byte[]> inbox = new ArrayBlockingQueue<>(16);
  private ClientPortServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static byte[] packet(int clientId, int seq) {
    return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(clientId).putInt(seq).array();
  }

  private static void send(Socket s, byte[] p) throws IOException {
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    out.writeInt(p.length);
    out.write(p);
    out.flush();
  }

  @Test
  void theInboxHearsOfferedAfterItsRequestsAndAtMostOncePerRequest() throws Exception {
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    server = ClientPortServer.start(new InetSocketAddress("127.0.0.1", 0), new ClientPortServer.ClientInbox() {
      @Override
      public boolean offer(byte[] packet) {
        calls.add("offer");
        return true;
      }

      @Override
      public void offered() {
        calls.add("offered");
      }
    });
    server.accepting(true);
    int clients = 8;
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int c = 0; c < clients; c++) {
        sockets.add(new Socket("127.0.0.1", server.address().getPort()));
      }
      for (int c = 0; c < clients; c++) {
        send(sockets.get(c), packet(c + 1, 1));
      }
      // every request is followed by an offered call that announces it; no call announces nothing twice
      await().atMost(Duration.ofSeconds(5)).until(() -> List.copyOf(calls).stream().filter("offer"::equals).count() == clients
          && calls.get(calls.size() - 1).equals("offered"));
      List<String> seen = List.copyOf(calls);
      for (int i = 1; i < seen.size(); i++) {
        assertEquals(false, seen.get(i).equals("offered") && seen.get(i - 1).equals("offered"), "calls " + seen);
      }
      assertEquals("offer", seen.get(0), "calls " + seen);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void routesRepliesToTheConnectionThatLastSentTheClientsRequest() throws Exception {
    server = ClientPortServer.start(new InetSocketAddress("127.0.0.1", 0), inbox::offer);
    server.accepting(true);
    try (Socket a = new Socket("127.0.0.1", server.address().getPort());
        Socket b = new Socket("127.0.0.1", server.address().getPort())) {
      send(a, packet(7, 1));
      await().atMost(Duration.ofSeconds(5)).until(() -> inbox.size() == 1);
      send(b, packet(7, 2));
      await().atMost(Duration.ofSeconds(5)).until(() -> inbox.size() == 2);
      byte[] reply = packet(7, 2);
      server.reply(reply);
      server.repliesDone();
      DataInputStream in = new DataInputStream(b.getInputStream());
      b.setSoTimeout(5000);
      int n = in.readInt();
      byte[] got = new byte[n];
      in.readFully(got);
      assertArrayEquals(reply, got);
      server.reply(packet(8, 1));
      server.repliesDone();
      await().atMost(Duration.ofSeconds(5)).until(() -> server.unroutable() == 1);
    }
  }

  @Test
  void closesConnectionsWhenNotAccepting() throws Exception {
    server = ClientPortServer.start(new InetSocketAddress("127.0.0.1", 0), inbox::offer);
    try (Socket a = new Socket("127.0.0.1", server.address().getPort())) {
      a.setSoTimeout(5000);
      assertEquals(-1, a.getInputStream().read());
    }
  }
}
