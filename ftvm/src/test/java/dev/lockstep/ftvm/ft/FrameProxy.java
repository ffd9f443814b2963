package dev.lockstep.ftvm.ft;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A TCP proxy on 127.0.0.1 that reads the logging channel frame by frame ({@link WireFormat}) and passes
 * each on, so a test can damage or restamp the next frame of a type in one direction, or hold all traffic
 * (a partition: both ends fall silent, nothing closes). A closed half is passed on as a closed half.
 * Test-only: one thread per direction of each connection.
 */
final class FrameProxy implements AutoCloseable {
  private final InetSocketAddress upstream;
  private final ServerSocket listening;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private volatile boolean held;
  private volatile boolean closed;

  /** A change to the next frame of {@code type} going to the backup ({@code toBackup}) or to the primary. */
  private record Fault(boolean toBackup, FrameType type, UnaryOperator<byte[]> change) {}

  FrameProxy(InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.listening = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "frame-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", listening.getLocalPort());
  }

  /** The next frame of {@code type} in that direction arrives with a bad checksum. */
  void corruptNext(boolean toBackup, FrameType type) {
    faults.add(new Fault(toBackup, type, f -> {
      f[f.length - 1] ^= 0x5A;
      return f;
    }));
  }

  /** The next frame of {@code type} in that direction arrives stamped with {@code epoch}, checksum recomputed. */
  void restampNext(boolean toBackup, FrameType type, long epoch) {
    faults.add(new Fault(toBackup, type, f -> {
      ByteBuffer b = ByteBuffer.wrap(f);
      b.putLong(8, epoch);
      int body = f.length - WireFormat.TRAILER_BYTES;
      b.putInt(body, WireFormat.crc(ByteBuffer.wrap(f, 0, body)));
      return f;
    }));
  }

  /** Holds every frame both ways until {@link #release}. */
  void hold() {
    held = true;
  }

  void release() {
    synchronized (gate) {
      held = false;
      gate.notifyAll();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket down = listening.accept();
        Socket up = new Socket(upstream.getAddress(), upstream.getPort());
        sockets.add(down);
        sockets.add(up);
        pump(down, up, false);
        pump(up, down, true);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, boolean toBackup) {
    Thread t = new Thread(() -> {
      try {
        DataInputStream in = new DataInputStream(from.getInputStream());
        OutputStream out = to.getOutputStream();
        while (true) {
          byte[] frame = readFrame(in);
          if (frame == null) {
            to.shutdownOutput(); // pass the closed half on
            return;
          }
          awaitGate();
          out.write(change(frame, toBackup));
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "frame-proxy-" + (toBackup ? "down" : "up"));
    t.setDaemon(true);
    t.start();
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    byte[] header = new byte[WireFormat.HEADER_BYTES];
    try {
      in.readFully(header);
    } catch (EOFException e) {
      return null;
    }
    long length = ByteBuffer.wrap(header).getInt(16) & 0xFFFF_FFFFL;
    byte[] frame = new byte[WireFormat.HEADER_BYTES + (int) length + WireFormat.TRAILER_BYTES];
    System.arraycopy(header, 0, frame, 0, header.length);
    in.readFully(frame, header.length, frame.length - header.length);
    return frame;
  }

  private byte[] change(byte[] frame, boolean toBackup) {
    FrameType type = FrameType.ofCode(frame[5] & 0xFF);
    for (Fault f : faults) {
      if (f.toBackup() == toBackup && f.type() == type && faults.remove(f)) {
        return f.change().apply(frame);
      }
    }
    return frame;
  }

  private void awaitGate() throws InterruptedException {
    synchronized (gate) {
      while (held && !closed) {
        gate.wait();
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    release();
    listening.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
