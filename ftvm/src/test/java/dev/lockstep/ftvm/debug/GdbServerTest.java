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

/** The packet layer: checksums, acks, and the replies to what the server does and does not support. */
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

  @Test
  void answersPacketsNaksBadChecksumsAndRefusesWrites() throws Exception {
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
        out.write(packet("M80000000,4:00000000").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("E01", reply(in));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("would end the replay's guarantee"), log.toString());
        out.write(packet("bs").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("T05replaylog:begin;", reply(in), "no step back before the log's start");
        out.write(packet("D").getBytes(StandardCharsets.US_ASCII));
        in.read();
        assertEquals("OK", reply(in));
      }
      await().atMost(Duration.ofSeconds(10)).until(serving::isDone);
    }
  }
}
