package dev.lockstep.ftvm.debug;

import dev.lockstep.ftvm.disasm.Disassembler;
import dev.lockstep.ftvm.machine.GuestFault;
import dev.lockstep.ftvm.machine.Machine;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The GDB remote serial protocol over a {@link DebugSession}, on a loopback TCP port, for one
 * debugger connection. Packets: {@code ?}, {@code g}/{@code G}, {@code p}/{@code P}, {@code m}/{@code
 * M}/{@code X}, {@code Z0}-{@code Z4}/{@code z0}-{@code z4} (breakpoints; write, read and access
 * watchpoints), {@code s}, {@code c}, {@code bs}, {@code bc}, {@code qRcmd} ({@code monitor icount},
 * {@code monitor seek N}), {@code qSupported}, {@code QStartNoAckMode}, {@code k}, {@code D}; anything
 * else gets the empty reply (unsupported).
 *
 * <p>A register or memory write ends the replay's guarantee: the server says so on its log at once
 * and on gdb's console (an {@code O} packet) at the next resume or monitor command, with what was
 * written at which icount; a seek or any reverse motion returns to the recorded execution and drops
 * the writes, and that is said the same way.
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
  private final List<String> notes = new ArrayList<>();
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
        boolean wasEdited = session.edited();
        String reply = handle(packet);
        if (wasEdited && !session.edited()) {
          note("back on the recorded execution at icount " + session.icount() + ": the writes were dropped");
        }
        if (resumesOrMonitor(packet)) {
          for (String n : notes) {
            send(out, "O" + hex((n + "\n").getBytes(StandardCharsets.UTF_8)));
          }
          notes.clear();
        }
        send(out, reply == null ? "OK" : reply);
        if (packet.equals("k") || packet.startsWith("D")) {
          return;
        }
      }
    }
  }

  /** Packets whose reply gdb lets {@code O} console packets precede. */
  private static boolean resumesOrMonitor(String packet) {
    return packet.equals("c") || packet.equals("s") || packet.equals("bc") || packet.equals("bs")
        || packet.startsWith("qRcmd,");
  }

  /** Says {@code text} on the server's log now and on gdb's console at the next chance. */
  private void note(String text) {
    log.println("lockstep gdb server: " + text);
    notes.add("lockstep: " + text);
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
        case 'G': return write("all registers", m -> writeRegisters(m, p.substring(1)));
        case 'P': return writeRegister(p.substring(1));
        case 'M': return writeMemory(p.substring(1), false);
        case 'X': return writeMemory(p.substring(1), true);
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
    } catch (GuestFault e) {
      note("the guest cannot continue at icount " + session.icount() + ": " + e.getMessage());
      return "S0b";
    }
  }

  /** Applies a write to the machine; the first one off the recorded execution is announced. */
  private String write(String what, Consumer<Machine> change) {
    boolean recorded = !session.edited();
    long icount = session.icount();
    try {
      session.write(change);
    } catch (IllegalArgumentException e) {
      return "E01";
    }
    if (recorded) {
      note("wrote " + what + " at icount " + icount + ": the replay guarantee ends here. Stepping and continuing"
          + " run the edited guest on the log's inputs, unchecked; a seek or any reverse motion returns to the"
          + " recorded execution and drops the writes");
    }
    return null;
  }

  private String writeRegister(String args) {
    int eq = args.indexOf('=');
    int i = Integer.parseInt(args.substring(0, eq), 16);
    int v = parseLe(args.substring(eq + 1));
    if (i < 0 || i >= REGISTERS) {
      return "E01";
    }
    String name = i == 32 ? "pc" : Disassembler.register(i);
    return write(String.format("%s = 0x%08x", name, v), m -> {
      if (i == 32) {
        m.writePc(v);
      } else {
        m.writeRegister(i, v);
      }
    });
  }

  private static void writeRegisters(Machine m, String hex) {
    if (hex.length() < REGISTERS * 8) {
      throw new IllegalArgumentException("G packet with " + hex.length() / 8 + " registers, not " + REGISTERS);
    }
    int pc = parseLe(hex.substring(32 * 8, 33 * 8));
    m.writePc(pc); // the one write that can be refused, first
    for (int i = 1; i < 32; i++) {
      m.writeRegister(i, parseLe(hex.substring(i * 8, i * 8 + 8)));
    }
  }

  /** {@code M addr,len:hex} or {@code X addr,len:binary}. */
  private String writeMemory(String args, boolean binary) {
    int colon = args.indexOf(':');
    String[] f = args.substring(0, colon).split(",");
    int addr = (int) Long.parseLong(f[0], 16);
    int len = Integer.parseInt(f[1], 16);
    if (len == 0) {
      return null; // gdb's probe for X support
    }
    byte[] data = binary ? unescape(args.substring(colon + 1)) : unhexBytes(args.substring(colon + 1));
    if (data.length != len) {
      return "E01";
    }
    return write(String.format("%d bytes at 0x%08x", len, addr), m -> m.writeMemory(addr, data));
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
      case WATCHPOINT: return watchStop(session.watchHit());
      default: return "S05";
    }
  }

  private static String watchStop(DebugSession.WatchHit hit) {
    String kind = switch (hit.watch().access()) {
      case WRITE -> "watch";
      case READ -> "rwatch";
      case ACCESS -> "awatch";
    };
    return String.format("T05%s:%08x;", kind, hit.addr());
  }

  /** {@code Z}/{@code z} type,addr,kind: 0 and 1 breakpoints, 2 write, 3 read, 4 access watchpoints. */
  private String breakpoint(String p) {
    String[] f = p.substring(1).split(",");
    int type = Integer.parseInt(f[0]);
    int addr = (int) Long.parseLong(f[1], 16);
    boolean set = p.charAt(0) == 'Z';
    if (type == 0 || type == 1) {
      if (set) {
        session.addBreakpoint(addr);
      } else {
        session.removeBreakpoint(addr);
      }
      return null;
    }
    if (type > 4) {
      return "";
    }
    DebugSession.Access access = DebugSession.Access.values()[type - 2];
    DebugSession.Watch w = new DebugSession.Watch(access, addr, Integer.parseInt(f[2], 16));
    if (set) {
      try {
        session.addWatch(w);
      } catch (IllegalArgumentException e) {
        return "E01";
      }
      return null;
    }
    return session.removeWatch(w) ? null : "E01";
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

  private static int parseLe(String h) {
    byte[] b = unhexBytes(h.substring(0, 8));
    return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
  }

  private static byte[] unhexBytes(String h) {
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  /** The binary data of an {@code X} packet: 0x7d escapes the next byte, xor 0x20. */
  private static byte[] unescape(String data) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(data.length());
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      b.write(c == 0x7d ? data.charAt(++i) ^ 0x20 : c);
    }
    return b.toByteArray();
  }

  private static String unhex(String h) {
    return new String(unhexBytes(h), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
