package dev.lockstep.ftvm.debug;

import dev.lockstep.ftvm.machine.Machine;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The GDB remote serial protocol over a {@link DebugSession}, on a loopback TCP port, for one
 * debugger connection. Packets: {@code ?}, {@code g}, {@code p}, {@code m}, {@code Z0}/{@code z0},
 * {@code s}, {@code c}, {@code bs}, {@code bc}, {@code qRcmd} ({@code monitor icount}, {@code monitor
 * seek N}), {@code qSupported}, {@code QStartNoAckMode}, {@code k}, {@code D}; anything else gets the
 * empty reply (unsupported). Register and memory writes get an error: they would end the replay's
 * guarantee, and this server only shows the recorded execution.
 */
public final class GdbServer implements AutoCloseable {
  /** Largest packet accepted, in bytes; a longer one closes the connection. */
  public static final int PACKET_BYTES_MAX = 16_384;
  /** Largest memory read answered at once, in bytes. */
  public static final int READ_BYTES_MAX = 4096;
  private static final int REGISTERS = 33;

  private final ServerSocket server;
  private final DebugSession session;
  private final PrintStream log;
  private boolean noAck;

  public GdbServer(DebugSession session, int port, PrintStream log) throws IOException {
    this.session = session;
    this.log = log;
    this.server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Serves one debugger until it detaches, kills the session or disconnects. */
  public void serveOne() throws IOException {
    try (Socket s = server.accept()) {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      noAck = false;
      while (true) {
        String packet = readPacket(in, out);
        if (packet == null) {
          return;
        }
        String reply = handle(packet);
        send(out, reply == null ? "OK" : reply);
        if (packet.equals("k") || packet.startsWith("D")) {
          return;
        }
      }
    }
  }

  private String readPacket(InputStream in, OutputStream out) throws IOException {
    while (true) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      if (c == 0x03) {
        continue; // an interrupt: execution is never running between packets here
      }
      if (c != '$') {
        continue; // '+', '-' and noise between packets
      }
      StringBuilder b = new StringBuilder();
      int sum = 0;
      while ((c = in.read()) != '#') {
        if (c < 0 || b.length() >= PACKET_BYTES_MAX) {
          throw new IOException("gdb packet truncated or longer than " + PACKET_BYTES_MAX + " bytes");
        }
        b.append((char) c);
        sum += c;
      }
      int hi = in.read();
      int lo = in.read();
      if (hi < 0 || lo < 0) {
        return null;
      }
      boolean ok = Integer.parseInt("" + (char) hi + (char) lo, 16) == (sum & 0xFF);
      if (!noAck) {
        out.write(ok ? '+' : '-');
        out.flush();
      }
      if (ok) {
        return b.toString();
      }
    }
  }

  private void send(OutputStream out, String reply) throws IOException {
    int sum = 0;
    for (int i = 0; i < reply.length(); i++) {
      sum += reply.charAt(i);
    }
    out.write(String.format("$%s#%02x", reply, sum & 0xFF).getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** The reply to one packet; null for "OK". */
  String handle(String p) {
    try {
      switch (p.isEmpty() ? ' ' : p.charAt(0)) {
        case '?': return "S05";
        case 'g': return registers();
        case 'p': return register(Integer.parseInt(p.substring(1), 16));
        case 'm': return memory(p.substring(1));
        case 'G': case 'P': case 'M': case 'X': return refuseWrite();
        case 'Z': case 'z': return breakpoint(p);
        case 's': return stop(session.step());
        case 'c': return stop(session.cont());
        case 'b': return p.equals("bs") ? stop(session.reverseStep()) : p.equals("bc") ? stop(session.reverseCont()) : "";
        case 'H': return null;
        case 'k': case 'D': return null;
        case 'T': return null;
        case 'q': case 'Q': return query(p);
        default: return "";
      }
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return "E01";
    }
  }

  private String refuseWrite() {
    log.println("lockstep machine debug: refused a register or memory write: it would end the replay's guarantee (this debugger only shows the recorded execution)");
    return "E01";
  }

  private String query(String p) {
    if (p.startsWith("qSupported")) {
      return "PacketSize=" + Integer.toHexString(PACKET_BYTES_MAX) + ";QStartNoAckMode+;ReverseStep+;ReverseContinue+;swbreak+";
    }
    if (p.equals("QStartNoAckMode")) {
      noAck = true;
      return null;
    }
    if (p.equals("qAttached")) {
      return "1";
    }
    if (p.equals("qfThreadInfo")) {
      return "m1";
    }
    if (p.equals("qsThreadInfo")) {
      return "l";
    }
    if (p.equals("qC")) {
      return "QC1";
    }
    if (p.startsWith("qRcmd,")) {
      return monitor(unhex(p.substring(6)).strip());
    }
    return "";
  }

  private String monitor(String cmd) {
    String out;
    if (cmd.equals("icount")) {
      out = "icount " + session.icount() + "\n";
    } else if (cmd.startsWith("seek ")) {
      long target = Long.parseLong(cmd.substring(5).strip().replace("_", ""));
      long reached = session.seek(target);
      out = reached == target ? "icount " + reached + "\n" : "icount " + reached + " (the log ends before " + target + ")\n";
    } else {
      out = "monitor commands: icount, seek N\n";
    }
    return hex(out.getBytes(StandardCharsets.UTF_8));
  }

  private String stop(DebugSession.Stop s) {
    switch (s) {
      case LOG_BEGIN: return "T05replaylog:begin;";
      case LOG_END: return "T05replaylog:end;";
      case HALTED: return String.format("W%02x", session.machine().exitCode() & 0xFF);
      case BREAKPOINT: return "T05swbreak:;";
      default: return "S05";
    }
  }

  private String breakpoint(String p) {
    String[] f = p.substring(1).split(",");
    if (!f[0].equals("0") && !f[0].equals("1")) {
      return ""; // watchpoints are not supported
    }
    int addr = (int) Long.parseLong(f[1], 16);
    if (p.charAt(0) == 'Z') {
      session.addBreakpoint(addr);
    } else {
      session.removeBreakpoint(addr);
    }
    return null;
  }

  private String registers() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < REGISTERS; i++) {
      b.append(register(i));
    }
    return b.toString();
  }

  private String register(int i) {
    Machine m = session.machine();
    if (i < 0 || i >= REGISTERS) {
      return "E01";
    }
    int v = i == 32 ? m.pc() : m.register(i);
    return le(v);
  }

  private String memory(String args) {
    String[] f = args.split(",");
    int addr = (int) Long.parseLong(f[0], 16);
    int len = Math.min(Integer.parseInt(f[1], 16), READ_BYTES_MAX);
    try {
      return hex(session.machine().readMemory(addr, len));
    } catch (IllegalArgumentException e) {
      return "E01";
    }
  }

  private static String le(int v) {
    return String.format("%02x%02x%02x%02x", v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, (v >>> 24) & 0xFF);
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder(b.length * 2);
    for (byte x : b) {
      s.append(String.format("%02x", x & 0xFF));
    }
    return s.toString();
  }

  private static String unhex(String h) {
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
