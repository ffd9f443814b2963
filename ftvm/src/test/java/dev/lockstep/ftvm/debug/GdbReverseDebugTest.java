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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real gdb-multiarch in batch mode against {@link GdbServer} on a recording of the chaos guest:
 * breakpoints both ways, register and memory writes, and watchpoints both ways. scripts/setup.sh
 * installs gdb-multiarch, so its absence fails the test.
 */
class GdbReverseDebugTest {
  private static final Duration GDB_SECONDS_MAX = Duration.ofSeconds(180);
  private static final Pattern ICOUNT = Pattern.compile("(?m)^icount (\\d+)");
  private static byte[] image;
  private static final List<Event> LOG = new ArrayList<>();
  /** The digest the chaos run printed: main_digest, then irq_digest, in hex without leading zeros. */
  private static String digest;
  private static String irqDigest;
  @TempDir Path dir;

  @BeforeAll
  static void record() throws Exception {
    try (InputStream in = GdbReverseDebugTest.class.getResourceAsStream("/guests/chaos.elf")) {
      assertTrue(in != null, "guests/chaos.elf is not on the classpath (ftvm/guests/build.sh)");
      image = in.readAllBytes();
    }
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Machine rec = Machine.boot(image, MachineConfig.defaults(), HostPort.UNATTACHED);
    Recorder recorder = new Recorder(rec, HostClock.SYSTEM, new SplittableRandom(15)::nextInt, LOG::add, null,
        e -> {
          if (e.kind() == EventKind.CONSOLE_OUT) {
            console.writeBytes(e.payload());
          }
        }, Long.MAX_VALUE);
    assertEquals(Recorder.Outcome.HALTED, recorder.run(200_000_000L), "chaos did not halt");
    Matcher m = Pattern.compile("digest=([0-9a-f]{8})([0-9a-f]{8})").matcher(console.toString(StandardCharsets.UTF_8));
    assertTrue(m.find(), "no digest in the console: " + console);
    digest = m.group(1).replaceFirst("^0+(?=.)", "");
    irqDigest = m.group(2).replaceFirst("^0+(?=.)", "");
  }

  @Test
  void gdbStepsAndContinuesBothWaysThroughARecordedChaosRun() throws Exception {
    String text = gdb(
        "break rt_printf",
        "continue", "monitor icount",
        "continue", "monitor icount",
        "print/x *(unsigned int *)&main_digest",
        "reverse-stepi", "monitor icount",
        "reverse-continue", "monitor icount");
    List<Long> icounts = icounts(text);
    assertEquals(4, icounts.size(), text);
    assertTrue(icounts.get(1) > icounts.get(0), text);
    assertEquals(icounts.get(1) - 1, icounts.get(2), "reverse-stepi goes back one instruction: " + text);
    assertEquals(icounts.get(0), icounts.get(3), "reverse-continue stops at the first rt_printf: " + text);
    assertTrue(text.contains("= 0x" + digest),
        "main_digest at the final rt_printf is the digest the guest printed (" + digest + "): " + text);
  }

  /**
   * irq_digest only mixes what interrupts see and t0 is dead at rt_printf's entry, so the edited guest
   * takes the same path: it ends with the recorded main_digest and another irq_digest.
   */
  /** The command file's {@code seek} re-reads the registers: the pc is the new position's, not the cached one. */
  @Test
  void theSeekCommandShowsTheNewPosition() throws Exception {
    String text = gdb(
        "break rt_printf",
        "continue",
        "print/x $pc",
        "seek 0",
        "print/x $pc",
        "icount");
    assertTrue(text.matches("(?s).*\\$1 = 0x800[0-9a-f]{5}\n.*") && !text.contains("$1 = 0x80000000\n"), text);
    assertTrue(text.contains("$2 = 0x80000000\n"), "after 'seek 0', the entry point: " + text);
    assertEquals(List.of(0L, 0L), icounts(text), "the seek and the icount command: " + text);
  }

  @Test
  void gdbWritesRegistersAndMemoryAndTheGuestRunsOnEdited() throws Exception {
    String text = gdb(
        "break rt_printf",
        "continue", "monitor icount",
        "set var *(unsigned int *)&irq_digest = 0x12345678",
        "set $t0 = 0xcafe",
        "maintenance flush register-cache",
        "print/x $t0",
        "print/x *(unsigned int *)&irq_digest",
        "continue", "monitor icount",
        "print/x *(unsigned int *)&main_digest",
        "print/x *(unsigned int *)&irq_digest",
        "monitor seek 999999999999",
        "print/x *(unsigned int *)&irq_digest");
    List<Long> icounts = icounts(text);
    assertEquals(3, icounts.size(), text);
    long first = icounts.get(0);
    assertTrue(text.contains("$1 = 0xcafe\n$2 = 0x12345678\n"), "the writes reached the machine: " + text);
    assertTrue(text.contains("at icount " + first + ": the replay guarantee ends here"),
        "gdb's console says what was written where the guarantee ended: " + text);
    assertTrue(text.contains("$3 = 0x" + digest + "\n"), "the edited guest took the recorded path (main_digest "
        + digest + "): " + text);
    assertTrue(text.contains("$4 = 0x") && !text.contains("$4 = 0x" + irqDigest + "\n"),
        "and ended with another irq_digest than the recorded " + irqDigest + ": " + text);
    assertTrue(text.contains("back on the recorded execution"), "the seek drops the writes and says so: " + text);
    assertTrue(text.contains("$5 = 0x" + irqDigest + "\n"), "then the recorded execution's irq_digest: " + text);
  }

  @Test
  void withoutALogGdbRecordsAsItGoesAndReversesOverWhatRanSoFar() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    LiveRecording live = new LiveRecording(Machine.boot(image, MachineConfig.defaults(), HostPort.UNATTACHED),
        HostClock.SYSTEM, new SplittableRandom(16)::nextInt, e -> {
          if (e.kind() == EventKind.CONSOLE_OUT) {
            console.writeBytes(e.payload());
          }
        }, 200_000_000L);
    String text = gdb(live,
        "break rt_printf",
        "continue", "monitor icount",
        "continue", "monitor icount",
        "print/x *(unsigned int *)&main_digest",
        "reverse-continue", "monitor icount",
        "continue", "monitor icount");
    List<Long> icounts = icounts(text);
    Matcher m;
    assertEquals(4, icounts.size(), text);
    assertTrue(icounts.get(1) > icounts.get(0), text);
    assertEquals(icounts.get(0), icounts.get(2), "reverse-continue goes back over what was recorded: " + text);
    assertEquals(icounts.get(1), icounts.get(3), "and forward again replays it: " + text);
    m = Pattern.compile("digest=([0-9a-f]{8})").matcher(console.toString(StandardCharsets.UTF_8));
    assertTrue(m.find() && text.contains("= 0x" + m.group(1).replaceFirst("^0+(?=.)", "") + "\n"),
        "main_digest at the final rt_printf is the digest the recorded guest printed: " + console + text);
  }

  @Test
  void gdbWatchpointsStopAfterAnAccessGoingForwardAndBeforeItGoingBack() throws Exception {
    String text = gdb(
        "watch *(unsigned int *)&main_digest",
        "continue", "monitor icount",
        "continue", "monitor icount",
        "reverse-continue", "monitor icount",
        "reverse-continue", "monitor icount",
        "delete",
        "rwatch *(unsigned int *)&main_digest",
        "continue", "monitor icount",
        "delete",
        "awatch *(unsigned int *)&irq_digest",
        "continue", "monitor icount");
    List<Long> icounts = icounts(text);
    assertEquals(6, icounts.size(), text);
    assertTrue(text.contains("Hardware watchpoint 1: *(unsigned int *)&main_digest"), text);
    assertTrue(icounts.get(1) > icounts.get(0), text);
    assertEquals(icounts.get(1) - 1, icounts.get(2), "reverse-continue stops before the write it crossed: " + text);
    assertEquals(icounts.get(0) - 1, icounts.get(3), "and then before the first write: " + text);
    assertTrue(text.contains("Hardware read watchpoint 2: *(unsigned int *)&main_digest"), text);
    assertTrue(text.contains("Hardware access (read/write) watchpoint 3: *(unsigned int *)&irq_digest"), text);
  }

  private static List<Long> icounts(String text) {
    List<Long> icounts = new ArrayList<>();
    Matcher m = ICOUNT.matcher(text);
    while (m.find()) {
      icounts.add(Long.parseLong(m.group(1)));
    }
    return icounts;
  }

  /** Runs gdb-multiarch in batch mode with {@code commands} against a server on the chaos recording; its output. */
  private String gdb(String... commands) throws Exception {
    return gdb(Rewinder.Recording.of(LOG), commands);
  }

  private String gdb(Rewinder.Recording recording, String... commands) throws Exception {
    Path gdb = findGdb();
    Path elf = dir.resolve("chaos.elf");
    Files.write(elf, image);
    DebugSession session = new DebugSession(new Rewinder(
        Machine.boot(image, MachineConfig.defaults(), HostPort.UNATTACHED), recording, 2_000_000), 2_000_000);
    Process p = null;
    try (GdbServer server = new GdbServer(session, 0, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
        try {
          server.serveOne();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Path script = Path.of("..", "scripts", "lockstep.gdb");
      assertTrue(Files.isRegularFile(script), "the gdb command file " + script.toAbsolutePath() + " is missing");
      List<String> args = new ArrayList<>(List.of(gdb.toString(), "-batch", "-nx", "-x", script.toString(),
          "-ex", "set architecture riscv:rv32",
          "-ex", "target remote 127.0.0.1:" + server.port()));
      for (String c : commands) {
        args.add("-ex");
        args.add(c);
      }
      args.addAll(List.of("-ex", "kill", elf.toString()));
      p = new ProcessBuilder(args).redirectErrorStream(true).start();
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
      await().atMost(Duration.ofSeconds(10)).until(serving::isDone);
      return out.toString(StandardCharsets.UTF_8);
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
