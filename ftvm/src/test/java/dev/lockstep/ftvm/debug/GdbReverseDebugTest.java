package dev.lockstep.ftvm.debug;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.host.Recorder;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.rewind.Rewinder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real gdb-multiarch in batch mode against {@link GdbServer} on a recording of the chaos guest:
 * break at rt_printf, continue to the final digest line, read main_digest and compare it with the
 * digest the guest printed, reverse-step one instruction, reverse-continue to the first rt_printf.
 * scripts/setup.sh installs gdb-multiarch, so its absence fails the test.
 */
class GdbReverseDebugTest {
  private static final Duration GDB_SECONDS_MAX = Duration.ofSeconds(180);
  @TempDir Path dir;

  @Test
  void gdbStepsAndContinuesBothWaysThroughARecordedChaosRun() throws Exception {
    Path gdb = findGdb();
    Path elf = dir.resolve("chaos.elf");
    byte[] image;
    try (InputStream in = GdbReverseDebugTest.class.getResourceAsStream("/guests/chaos.elf")) {
      assertTrue(in != null, "guests/chaos.elf is not on the classpath (ftvm/guests/build.sh)");
      image = in.readAllBytes();
    }
    Files.write(elf, image);
    List<Event> log = new ArrayList<>();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Machine rec = Machine.boot(image, MachineConfig.defaults(), HostPort.UNATTACHED);
    Recorder recorder = new Recorder(rec, HostClock.SYSTEM, new SplittableRandom(15)::nextInt, log::add, null,
        e -> {
          if (e.kind() == EventKind.CONSOLE_OUT) {
            console.writeBytes(e.payload());
          }
        }, Long.MAX_VALUE);
    assertEquals(Recorder.Outcome.HALTED, recorder.run(200_000_000L), "chaos did not halt");
    Matcher digest = Pattern.compile("digest=([0-9a-f]{8})[0-9a-f]{8}").matcher(console.toString(StandardCharsets.UTF_8));
    assertTrue(digest.find(), "no digest in the console: " + console);

    DebugSession session = new DebugSession(new Rewinder(
        Machine.boot(image, MachineConfig.defaults(), HostPort.UNATTACHED), log, 2_000_000), 2_000_000);
    ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
    Process p = null;
    try (GdbServer server = new GdbServer(session, 0, new PrintStream(serverLog, true, StandardCharsets.UTF_8))) {
      CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
        try {
          server.serveOne();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      p = new ProcessBuilder(gdb.toString(), "-batch", "-nx",
          "-ex", "set architecture riscv:rv32",
          "-ex", "target remote 127.0.0.1:" + server.port(),
          "-ex", "break rt_printf",
          "-ex", "continue", "-ex", "monitor icount",
          "-ex", "continue", "-ex", "monitor icount",
          "-ex", "print/x *(unsigned int *)&main_digest",
          "-ex", "reverse-stepi", "-ex", "monitor icount",
          "-ex", "reverse-continue", "-ex", "monitor icount",
          "-ex", "set var $x = 1",
          "-ex", "set var *(unsigned int *)&main_digest = 5",
          "-ex", "kill",
          elf.toString()).redirectErrorStream(true).start();
      Process gdbProcess = p;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
        try {
          gdbProcess.getInputStream().transferTo(out);
        } catch (IOException ignored) {
          // the process ended
        }
      });
      await().atMost(GDB_SECONDS_MAX).until(() -> !gdbProcess.isAlive() && reading.isDone());
      String text = out.toString(StandardCharsets.UTF_8);
      List<Long> icounts = new ArrayList<>();
      Matcher m = Pattern.compile("icount (\\d+)").matcher(text);
      while (m.find()) {
        icounts.add(Long.parseLong(m.group(1)));
      }
      assertEquals(4, icounts.size(), text);
      assertTrue(icounts.get(1) > icounts.get(0), text);
      assertEquals(icounts.get(1) - 1, icounts.get(2), "reverse-stepi goes back one instruction: " + text);
      assertEquals(icounts.get(0), icounts.get(3), "reverse-continue stops at the first rt_printf: " + text);
      assertTrue(text.contains("= 0x" + digest.group(1).replaceFirst("^0+(?=.)", "")),
          "main_digest at the final rt_printf is the digest the guest printed (" + digest.group(1) + "): " + text);
      assertTrue(serverLog.toString(StandardCharsets.UTF_8).contains("refused a register or memory write"),
          "a memory write is refused and said so: " + serverLog);
      await().atMost(Duration.ofSeconds(10)).until(serving::isDone);
    } finally {
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }

  private static Path findGdb() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path c = Path.of(d, "gdb-multiarch");
      if (Files.isExecutable(c)) {
        return c;
      }
    }
    fail("gdb-multiarch is not on PATH; scripts/setup.sh installs it (Debian package gdb-multiarch)");
    return null;
  }
}
