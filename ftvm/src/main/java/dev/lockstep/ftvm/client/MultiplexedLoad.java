package dev.lockstep.ftvm.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop clients of one primary, all on one selector thread, for throughput figures: each client
 * sends its next write only after the reply to its last one, as an {@link FtClient} does, but a
 * hundred clients cost one thread instead of a hundred threads competing with the nodes for the
 * cores. No resends and no failover: a closed connection or a reply that is not ok for the request
 * under way stops the load with {@link #error()} set (the figures would mean nothing).
 */
public final class MultiplexedLoad implements AutoCloseable {

  /** Longest wait in select, so pause, resume and close are seen even when no reply comes. */
  private static final long SELECT_MILLIS = 50;

  private final Selector selector;
  private final List<Client> clients = new ArrayList<>();
  private final Thread thread;
  private final AtomicLong ok = new AtomicLong();
  private volatile boolean paused = true;
  private volatile boolean closed;
  private volatile String error;
  /** Calls under way; written by the load's thread only. */
  private volatile int inFlight;

  /** One connection and its call under way. */
  private static final class Client {
    final int id;
    final SocketChannel ch;
    final ByteBuffer in = ByteBuffer.allocate(4 + GuestProtocol.MTU_BYTES);
    ByteBuffer out;
    int reqSeq;
    int value;
    boolean waiting;

    Client(int id, SocketChannel ch) {
      this.id = id;
      this.ch = ch;
    }
  }

  /**
   * Connects {@code clients} clients, with ids from {@code firstId}, to the client port at
   * {@code primary}; they start paused.
   */
  public MultiplexedLoad(InetSocketAddress primary, int clients, int firstId) throws IOException {
    selector = Selector.open();
    try {
      for (int i = 0; i < clients; i++) {
        SocketChannel ch = SocketChannel.open(primary);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.configureBlocking(false);
        Client c = new Client(firstId + i, ch);
        ch.register(selector, SelectionKey.OP_READ, c);
        this.clients.add(c);
      }
    } catch (IOException e) {
      closeChannels();
      throw new IOException("connecting load clients to " + primary + ": " + e.getMessage(), e);
    }
    thread = new Thread(this::loop, "multiplexed-load");
    thread.setDaemon(true);
    thread.start();
  }

  /** Ok replies so far. */
  public long ok() {
    return ok.get();
  }

  /** Why the load stopped, or null while it runs. */
  public String error() {
    return error;
  }

  /** Clients send their next call again. */
  public void resume() {
    paused = false;
    selector.wakeup();
  }

  /** Stops new calls and waits (at most {@code timeoutMillis}) for the calls under way to end. */
  public void pause(long timeoutMillis) throws InterruptedException {
    paused = true;
    selector.wakeup();
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (inFlight > 0 && error == null && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  private void loop() {
    try {
      while (!closed && error == null) {
        if (!paused) {
          for (Client c : clients) {
            if (!c.waiting) {
              send(c);
            }
          }
        }
        selector.select(SELECT_MILLIS);
        for (SelectionKey k : selector.selectedKeys()) {
          Client c = (Client) k.attachment();
          if (k.isValid() && k.isWritable()) {
            flush(c, k);
          }
          if (k.isValid() && k.isReadable()) {
            read(c);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        error = e.toString();
      }
    }
  }

  private void send(Client c) throws IOException {
    c.reqSeq++;
    byte[] packet = Request.write(c.id, ++c.value).packet(c.id, c.reqSeq);
    c.out = ByteBuffer.allocate(4 + packet.length).putInt(packet.length).put(packet).flip();
    c.waiting = true;
    inFlight++;
    c.ch.write(c.out);
    if (c.out.hasRemaining()) {
      c.ch.keyFor(selector).interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }
  }

  private void flush(Client c, SelectionKey k) throws IOException {
    c.ch.write(c.out);
    if (!c.out.hasRemaining()) {
      k.interestOps(SelectionKey.OP_READ);
    }
  }

  private void read(Client c) throws IOException {
    if (c.ch.read(c.in) < 0) {
      throw new IOException("client " + c.id + ": the primary closed the connection");
    }
    while (true) {
      ByteBuffer b = c.in;
      if (b.position() < 4) {
        return;
      }
      int len = b.getInt(0);
      if (len < GuestProtocol.REPLY_HEADER_BYTES || len > GuestProtocol.MTU_BYTES) {
        throw new IOException("client " + c.id + ": reply length " + len + " out of range");
      }
      if (b.position() < 4 + len) {
        return;
      }
      byte[] packet = new byte[len];
      b.flip();
      b.getInt();
      b.get(packet);
      b.compact();
      Reply r = Reply.decode(packet);
      if (r.clientId() != c.id || r.reqSeq() != c.reqSeq || r.status() != Status.OK) {
        throw new IOException("client " + c.id + " reqSeq " + c.reqSeq + ": unexpected reply " + r.status()
            + " for client " + r.clientId() + " reqSeq " + r.reqSeq());
      }
      c.waiting = false;
      inFlight--;
      ok.incrementAndGet();
      if (!paused) {
        send(c);
      }
    }
  }

  private void closeChannels() {
    for (Client c : clients) {
      try {
        c.ch.close();
      } catch (IOException e) {
        // closing: nothing to keep
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      // closing
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    selector.wakeup();
    thread.join(5_000);
    closeChannels();
  }
}
