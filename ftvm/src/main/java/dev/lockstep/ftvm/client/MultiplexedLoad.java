package dev.lockstep.ftvm.client;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
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
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;

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

  /** One connection and its call under way; with TLS, its engine and the bytes still encrypted. */
  private static final class Client {
    final int id;
    final SocketChannel ch;
    final SSLEngine tls;
    final ByteBuffer in;
    final ByteBuffer netIn;
    ByteBuffer out;
    int reqSeq;
    int value;
    boolean waiting;

    Client(int id, SocketChannel ch, SSLEngine tls) {
      this.id = id;
      this.ch = ch;
      this.tls = tls;
      int appBytes = 4 + GuestProtocol.MTU_BYTES + (tls == null ? 0 : tls.getSession().getApplicationBufferSize());
      this.in = ByteBuffer.allocate(appBytes);
      this.netIn = tls == null ? null : ByteBuffer.allocate(2 * tls.getSession().getPacketBufferSize());
    }
  }

  /**
   * Connects {@code clients} clients, with ids from {@code firstId}, to the client port at
   * {@code primary}; they start paused.
   */
  public MultiplexedLoad(InetSocketAddress primary, int clients, int firstId) throws IOException {
    this(primary, clients, firstId, null);
  }

  /**
   * As {@link #MultiplexedLoad(InetSocketAddress, int, int)}, over TLS when {@code tls} is not null
   * (see {@code Tls.clientSslContext}): every client does its handshake before the load starts.
   */
  public MultiplexedLoad(InetSocketAddress primary, int clients, int firstId, SslContext tls) throws IOException {
    selector = Selector.open();
    try {
      for (int i = 0; i < clients; i++) {
        SocketChannel ch = SocketChannel.open(primary);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SSLEngine engine = tls == null ? null : tls.newEngine(ByteBufAllocator.DEFAULT, primary.getHostString(), primary.getPort());
        Client c = new Client(firstId + i, ch, engine);
        if (engine != null) {
          handshake(c);
        }
        ch.configureBlocking(false);
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

  /** The TLS handshake of one client, on its still blocking channel. */
  private static void handshake(Client c) throws IOException {
    SSLEngine e = c.tls;
    ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
    e.beginHandshake();
    for (int steps = 0; steps < HANDSHAKE_STEPS_MAX; steps++) {
      switch (e.getHandshakeStatus()) {
        case NEED_WRAP -> {
          net.clear();
          SSLEngineResult r = e.wrap(ByteBuffer.allocate(0), net);
          net.flip();
          while (net.hasRemaining()) {
            c.ch.write(net);
          }
          if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new IOException("client " + c.id + ": TLS closed during the handshake");
          }
        }
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          c.netIn.flip();
          SSLEngineResult r = e.unwrap(c.netIn, c.in);
          c.netIn.compact();
          if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && c.ch.read(c.netIn) < 0) {
            throw new IOException("client " + c.id + ": the primary closed the connection during the TLS handshake");
          } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new IOException("client " + c.id + ": TLS closed during the handshake");
          }
        }
        case NEED_TASK -> {
          for (Runnable t = e.getDelegatedTask(); t != null; t = e.getDelegatedTask()) {
            t.run();
          }
        }
        default -> {
          return; // FINISHED or NOT_HANDSHAKING
        }
      }
    }
    throw new IOException("client " + c.id + ": TLS handshake did not end within " + HANDSHAKE_STEPS_MAX + " steps");
  }

  /** Steps of one TLS handshake at most (a TLS 1.3 handshake takes about ten). */
  private static final int HANDSHAKE_STEPS_MAX = 1000;

  private static ByteBuffer encrypt(Client c, ByteBuffer plain) throws IOException {
    ByteBuffer net = ByteBuffer.allocate(c.tls.getSession().getPacketBufferSize() + plain.remaining());
    while (plain.hasRemaining()) {
      SSLEngineResult r = c.tls.wrap(plain, net);
      if (r.getStatus() != SSLEngineResult.Status.OK) {
        throw new IOException("client " + c.id + ": TLS wrap " + r.getStatus());
      }
    }
    return net.flip();
  }

  /** Decrypts what arrived into {@code c.in}; false when the peer closed. */
  private static boolean decrypt(Client c) throws IOException {
    int n = c.ch.read(c.netIn);
    c.netIn.flip();
    try {
      while (c.netIn.hasRemaining()) {
        SSLEngineResult r = c.tls.unwrap(c.netIn, c.in);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
          break;
        }
        if (r.getStatus() != SSLEngineResult.Status.OK) {
          throw new IOException("client " + c.id + ": TLS unwrap " + r.getStatus());
        }
        for (Runnable t = c.tls.getDelegatedTask(); t != null; t = c.tls.getDelegatedTask()) {
          t.run();
        }
      }
    } finally {
      c.netIn.compact();
    }
    return n >= 0;
  }

  private void send(Client c) throws IOException {
    c.reqSeq++;
    byte[] packet = Request.write(c.id, ++c.value).packet(c.id, c.reqSeq);
    c.out = ByteBuffer.allocate(4 + packet.length).putInt(packet.length).put(packet).flip();
    if (c.tls != null) {
      c.out = encrypt(c, c.out);
    }
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
    if (c.tls != null ? !decrypt(c) : c.ch.read(c.in) < 0) {
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
      ReferenceCountUtil.release(c.tls); // an OpenSSL engine holds native memory until released
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
