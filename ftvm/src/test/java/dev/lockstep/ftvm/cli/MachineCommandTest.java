package dev.lockstep.ftvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.machine.GuestBuilder;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.ReplayLogReader;
import dev.lockstep.ftvm.replay.ReplayLogWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lockstep machine run|replay} and {@code lockstep bench machine}: outputs and exit codes. */
class MachineCommandTest {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  static synchronized Result lockstep(Object command, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      CommandLine cli = new CommandLine(command);
      cli.setParameterExceptionHandler((ex, a) -> ExitCodes.USAGE);
      int code = cli.execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  static Result machine(String... args) {
    return lockstep(new MachineCommand(), args);
  }

  private Path guest(String name, byte[] elf) throws IOException {
    Path p = dir.resolve(name + ".elf");
    Files.write(p, elf);
    return p;
  }

  private static final String HELLO = """
      .section .text.init
      .globl _start
      _start:
        la s0, msg
        li s1, 0x10000000
      1: lbu t0, 0(s0)
        beqz t0, 2f
        sw t0, 0(s1)
        addi s0, s0, 1
        j 1b
      2: li t0, 0x10002000
        lw t1, 0(t0)             # an rng read: replay must feed it back
        li t0, 0x0200BFF8
        lw t1, 0(t0)             # a clock read
        EXIT 7
      msg: .asciz "hello from the guest\\n"
      """;

  @Test
  void traceListsEachRetiredInstructionWithTheRegisterItWrote() throws IOException {
    Result r = machine("run", guest("hello", GuestBuilder.asm(HELLO)).toString(), "--trace", "0:3");
    assertEquals(7, r.exit(), r.err());
    String[] lines = r.err().split("\n");
    assertEquals(3, lines.length, r.err());
    assertTrue(lines[0].matches("\\s+0 0x80000000: [0-9a-f]{8}  auipc s0, 0\\s+s0=0x80000000"), lines[0]);
    assertTrue(lines[2].matches("\\s+2 0x80000008: [0-9a-f]{8}  lui s1, 65536\\s+s1=0x10000000"), lines[2]);
  }

  @Test
  void replayTracesTheSameInstructionsAsTheRecordedRun() throws IOException {
    Path elf = guest("hello", GuestBuilder.asm(HELLO));
    Path log = dir.resolve("hello.log");
    Result run = machine("run", elf.toString(), "--record", log.toString(), "--trace", "5:25");
    assertEquals(7, run.exit(), run.err());
    Result rep = machine("replay", elf.toString(), log.toString(), "--trace", "5:25");
    assertEquals(7, rep.exit(), "replay exits with the guest's code: " + rep.err());
    String traced = run.err().lines().filter(l -> l.matches("\\s+\\d+ 0x.*")).reduce("", (a, b) -> a + b + "\n");
    assertEquals(20, traced.lines().count(), run.err());
    assertTrue(rep.err().startsWith(traced), "replay traces what the run traced:\n" + rep.err());
  }

  @Test
  void traceRefusesABadWindowInOneLine() throws IOException {
    Result r = machine("run", guest("hello", GuestBuilder.asm(HELLO)).toString(), "--trace", "9:3");
    assertEquals(ExitCodes.USAGE, r.exit());
    assertEquals("lockstep machine run: --trace 9:3: need 0 <= FROM < TO\n", r.err());
    r = machine("run", guest("hello", GuestBuilder.asm(HELLO)).toString(), "--trace", "x");
    assertEquals(ExitCodes.USAGE, r.exit());
    assertTrue(r.err().startsWith("lockstep machine run: --trace x: expected FROM:TO"), r.err());
  }

  @Test
  void runExitsWithTheGuestCodeAndPrintsItsConsole() throws IOException {
    Result r = machine("run", guest("hello", GuestBuilder.asm(HELLO)).toString(), "--stats");
    assertEquals(7, r.exit(), r.err());
    assertEquals("hello from the guest\n", r.out());
    assertTrue(r.err().matches("(?s)instructions=\\d+\nseconds=[0-9.]+\nmips=[0-9.]+\n"), r.err());
  }

  @Test
  void recordThenReplayGivesTheSameOutputAndCode() throws IOException {
    Path elf = guest("hello", GuestBuilder.asm(HELLO));
    Path log = dir.resolve("hello.replay");
    Result rec = machine("run", elf.toString(), "--record", log.toString());
    assertEquals(7, rec.exit(), rec.err());
    Result rep = machine("replay", elf.toString(), log.toString());
    assertEquals(7, rep.exit(), rep.err());
    assertEquals(rec.out(), rep.out());
    assertTrue(rep.err().contains("replay verified"), rep.err());

    byte[] bytes = Files.readAllBytes(log);
    Path truncated = dir.resolve("truncated.replay");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 3));
    Result t = machine("replay", elf.toString(), truncated.toString());
    assertEquals(ExitCodes.USAGE, t.exit());
    assertTrue(t.err().contains("truncated") && t.err().contains("byte offset"), t.err());
    assertEquals(1, t.err().lines().count(), t.err());

    Path corrupt = dir.resolve("corrupt.replay");
    byte[] c = bytes.clone();
    c[c.length / 2] ^= 0x5A;
    Files.write(corrupt, c);
    Result k = machine("replay", elf.toString(), corrupt.toString());
    assertEquals(ExitCodes.USAGE, k.exit(), k.err());
    assertTrue(k.err().contains("byte offset"), k.err());

    Path other = guest("other", GuestBuilder.asmTest("nop"));
    Result o = machine("replay", other.toString(), log.toString());
    assertEquals(ExitCodes.USAGE, o.exit());
    assertTrue(o.err().contains("another guest image"), o.err());
  }

  @Test
  void alteredOutputInTheLogIsADivergenceWithItsIcount() throws IOException {
    Path elf = guest("hello", GuestBuilder.asm(HELLO));
    Path log = dir.resolve("hello.replay");
    assertEquals(7, machine("run", elf.toString(), "--record", log.toString()).exit());
    Path altered = dir.resolve("altered.replay");
    long icount = -1;
    try (ReplayLogReader in = ReplayLogReader.open(log); ReplayLogWriter out = ReplayLogWriter.create(altered, in.header())) {
      for (Event e = in.take(); e != null; e = in.take()) {
        if (icount < 0 && e.kind() == EventKind.CONSOLE_OUT && e.payload()[0] == 'f') {
          icount = e.icount();
          e = new Event(e.icount(), e.kind(), new byte[] {'F'});
        }
        out.append(e);
      }
    }
    Result r = machine("replay", elf.toString(), altered.toString());
    assertEquals(ExitCodes.DIVERGED, r.exit(), r.err());
    assertTrue(r.err().contains("replay diverged at icount " + icount), r.err());
  }

  @Test
  void maxInstructionsHasItsOwnExitCode() throws IOException {
    Path elf = guest("spin", GuestBuilder.asm(".section .text.init\n.globl _start\n_start: j _start\n"));
    Path log = dir.resolve("spin.replay");
    Result r = machine("run", elf.toString(), "--max-instructions", "100000", "--record", log.toString());
    assertEquals(ExitCodes.INSTRUCTION_LIMIT, r.exit());
    assertTrue(r.err().contains("did not halt within 100000 instructions"), r.err());
    Result rep = machine("replay", elf.toString(), log.toString());
    assertEquals(0, rep.exit(), rep.err());
    assertTrue(rep.err().contains("stopped before the guest halted"), rep.err());
  }

  @Test
  void illegalInstructionIsAGuestFault() throws IOException {
    Path elf = guest("illegal", GuestBuilder.asm(".section .text.init\n.globl _start\n_start: nop\n.word 0\n"));
    Result r = machine("run", elf.toString());
    assertEquals(ExitCodes.GUEST_FAULT, r.exit());
    assertTrue(r.err().contains("illegal instruction 0x00000000 at pc 0x80000004"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void badInputIsOneLineAndExit254() throws IOException {
    byte[] elf = GuestBuilder.asmTest("nop");
    elf[18] = 62;
    Result wrongArch = machine("run", guest("x86", elf).toString());
    assertEquals(ExitCodes.USAGE, wrongArch.exit());
    assertTrue(wrongArch.err().contains("ELF machine 62"), wrongArch.err());
    assertEquals(1, wrongArch.err().lines().count());

    Result missing = machine("run", dir.resolve("nope.elf").toString());
    assertEquals(ExitCodes.USAGE, missing.exit());
    assertTrue(missing.err().contains("no such file"), missing.err());

    Result noGuest = machine("run", "--guest", "does-not-exist");
    assertEquals(ExitCodes.USAGE, noGuest.exit());
    assertTrue(noGuest.err().contains("no bundled guest"), noGuest.err());

    Result both = machine("run");
    assertEquals(ExitCodes.USAGE, both.exit());

    Result ram = machine("run", guest("ok", GuestBuilder.asmTest("nop")).toString(), "--ram-mib", "0");
    assertEquals(ExitCodes.USAGE, ram.exit());
  }

  @Test
  void diskFileBacksTheDisk() throws IOException {
    Path elf = guest("disk", GuestBuilder.asm("""
        .section .text.init
        .globl _start
        _start:
          li s0, 0x10004000
          la t0, buf
          li t1, 0x64636261
          sw t1, 0(t0)
          li t1, 3
          sw t1, 0(s0)           # SECTOR 3
          sw t0, 4(s0)           # ADDR
          li t1, 1
          sw t1, 8(s0)           # COUNT 1
          li t1, 2
          sw t1, 12(s0)          # CMD write
        1: lw t1, 16(s0)
          li t2, 1
          beq t1, t2, 1b
          sw zero, 20(s0)        # ACK
          li t2, 2
          bne t1, t2, 2f
          EXIT 0
        2: EXIT 1
        .data
        .align 4
        buf: .space 512
        """));
    Path disk = dir.resolve("disk.img");
    Result r = machine("run", elf.toString(), "--disk", disk.toString(), "--disk-sectors", "16");
    assertEquals(0, r.exit(), r.err());
    byte[] img = Files.readAllBytes(disk);
    assertEquals(16 * 512, img.length);
    assertEquals("abcd", new String(img, 3 * 512, 4, StandardCharsets.US_ASCII));
  }

  @Test
  void scriptedKvExchangeChecksEveryReply() throws IOException {
    Path log = dir.resolve("kv.replay");
    Result r = machine("run", "--guest", "kv", "--script", "--record", log.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("script: 7 of 7 replies as expected"), r.out());
    assertTrue(r.out().contains("the cached reply: ok"), r.out());
    Result rep = machine("replay", "--guest", "kv", log.toString());
    assertEquals(0, rep.exit(), rep.err());
    assertTrue(rep.err().contains("replay verified"), rep.err());
  }

  @Test
  void benchPrintsNameValueLines() {
    Result r = lockstep(new BenchMachineCommand(), "--warmup-seconds", "0", "--seconds", "0.3",
        "--seek-instructions", "3000000", "--snapshot-interval", "500000");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().matches("(?s).*mips=[0-9.]+\nmips_recording=[0-9.]+\nmips_cpu=[0-9.]+\nmips_recording_cpu=[0-9.]+\nrecording_overhead_percent=-?[0-9.]+\n"
        + "seek_instructions=3000000\nsnapshot_interval_instructions=500000\nseek_cold_ms=[0-9.]+\nseek_ms=[0-9.]+\nreverse_step_ms=[0-9.]+\n"), r.out());
    Result inProcess = lockstep(new BenchMachineCommand(), "--warmup-seconds", "0", "--seconds", "0.3", "--forks", "0",
        "--seek-instructions", "0");
    assertEquals(0, inProcess.exit(), inProcess.err());
    assertTrue(inProcess.out().matches("(?s).*mips_cpu=[0-9.]+\nmips_recording_cpu=[0-9.]+\n.*"), inProcess.out());
    Result bad = lockstep(new BenchMachineCommand(), "--snapshot-interval", "0");
    assertEquals(ExitCodes.USAGE, bad.exit());
    assertTrue(bad.err().contains("--snapshot-interval must be positive"), bad.err());
  }
}
