package dev.lockstep.ftvm.debug;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.rewind.Rewinder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The packet layer: checksums, acks, writes, watchpoint packets, and the replies to what the server does and does not support. */
class GdbServerTest {

  private static DebugSession session() throws IOException, ElfException {
    try (InputStream in = GdbServerTest.class.getResourceAsStream("/guests/chaos.elf")) {
      assertTrue(in != null, "guests/chaos.elf is not on the classpath");
      Machine m = Machine.boot(in.readAllBytes(), MachineConfig.defaults(), HostPort.UNATTACHED);
      return new DebugSession(new Rewinder(m, List.of(), 1000), 1000);
    }
  }

  private static String packet(String body) {
    int sum = 0;
    for (char c : body.toCharArray()) {
      sum += c;
    }
    return String.format("$%s#%02x", body, sum & 0xFF);
  }

  private static String reply(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != '$') {
      if (c < 0) {
        return null;
      }
    }
    while ((c = in.read()) != '#') {
      b.append((char) c);
    }
    in.read();
    in.read();
    return b.toString();
  }

  private static String hex(String text) {
    StringBuilder b = new StringBuilder();
    for (byte x : text.getBytes(StandardCharsets.UTF_8)) {
      b.append(String.format("%02x", x & 0xFF));
    }
    return b.toString();
  }

  private static String unhex(String h) {
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void answersPacketsNaksBadChecksumsAppliesWritesAndDropsThemGoingBack() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (GdbServer server = new GdbServer(session(), 0, new PrintStream(log, true, StandardCharsets.UTF_8))) {
      CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
        try {
          server.serveOne();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write("$g#00".getBytes(StandardCharsets.US_ASCII));
        assertEquals('-', in.read(), "a bad checksum is refused");
        out.write(packet("p20").getBytes(StandardCharsets.US_ASCII));
        assertEquals('+', in.read());
        assertEquals("00000080", reply(in), "pc 0x80000000, little-endian");
        out.write(packet("m80000000,4").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("97210000", reply(in), "the first word of chaos: auipc gp, 2");
        out.write(packet("m00001000,4").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("E01", reply(in), "memory outside RAM");
        out.write(packet("vMustReplyEmpty").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("", reply(in));
        out.write(packet("M80000000,4:13000000").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("OK", reply(in), "a memory write is applied");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("wrote 4 bytes at 0x80000000 at icount 0: the replay guarantee ends here"),
            log.toString());
        out.write(packet("m80000000,4").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("13000000", reply(in), "the written word: nop");
        out.write(packet("P20=03000080").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("E01", reply(in), "an unaligned pc is refused");
        out.write(packet("P0a=05000000").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("OK", reply(in));
        out.write(packet("p0a").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("05000000", reply(in), "a0 = 5");
        out.write(packet("Z2,80001000,4").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("OK", reply(in), "a write watchpoint is taken");
        out.write(packet("z3,80001000,4").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("E01", reply(in), "no such read watchpoint to remove");
        out.write(packet("z2,80001000,4").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("OK", reply(in));
        out.write(packet("qRcmd," + hex("icount")).getBytes(StandardCharsets.US_ASCII));
        in.read();
        String console = reply(in);
        assertTrue(console.startsWith("O") && unhex(console.substring(1)).contains("the replay guarantee ends here"),
            "the write is announced on gdb's console at the next monitor command: " + console);
        assertEquals(hex("icount 0\n"), reply(in));
        out.write(packet("bs").getBytes(StandardCharsets.US_ASCII));
        in.read();
        String dropped = reply(in);
        assertTrue(dropped.startsWith("O") && unhex(dropped.substring(1)).contains("back on the recorded execution at icount 0"),
            "a reverse motion drops the writes and says so on gdb's console: " + dropped);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("back on the recorded execution at icount 0"),
            "and on the server's log: " + log);
        assertEquals("T05replaylog:begin;", reply(in), "no step back before the log's start");
        out.write(packet("m80000000,4").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("97210000", reply(in), "the recorded word again");
        out.write(packet("D").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("OK", reply(in));
      }
      await().atMost(Duration.ofSeconds(10)).until(serving::isDone);
    }
  }
}
