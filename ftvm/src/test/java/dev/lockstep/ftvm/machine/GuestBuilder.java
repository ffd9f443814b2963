package dev.lockstep.ftvm.machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds small test guests from assembly or C source with clang and ld.lld (installed by
 * scripts/setup.sh), caching images under target/test-guests by source digest.
 */
public final class GuestBuilder {
  private static final long BUILD_SECONDS_MAX = 60;
  private static final Path CACHE = Path.of("target", "test-guests");

  static final String LINKER_SCRIPT = """
      ENTRY(_start)
      SECTIONS {
        . = 0x80000000;
        .text : { *(.text.init) *(.text*) }
        .rodata : { *(.rodata*) *(.srodata*) }
        .data : { *(.data*) *(.sdata*) }
        .bss : { *(.bss*) *(.sbss*) *(COMMON) }
        . = ALIGN(8);
        .tohost : { tohost = .; . += 8; }
        . = ALIGN(16);
        _stack_bottom = .;
        . += 0x10000;
        _stack_top = .;
      }
      """;

  /** Macros for instruction tests: each TEST_* sets s11 to its number and jumps to fail on a mismatch. */
  static final String ASM_PRELUDE = """
      .macro EXIT code
        li a0, ((\\code) << 1) | 1
        la t6, tohost
        sw a0, 0(t6)
      99: j 99b
      .endm
      .macro TEST_RR n, op, exp, a, b
        li s11, \\n
        li t0, \\a
        li t1, \\b
        \\op t2, t0, t1
        li t3, \\exp
        bne t2, t3, fail
      .endm
      .macro TEST_RI n, op, exp, a, imm
        li s11, \\n
        li t0, \\a
        \\op t2, t0, \\imm
        li t3, \\exp
        bne t2, t3, fail
      .endm
      .macro TEST_EQ n, reg, exp
        li s11, \\n
        li t3, \\exp
        bne \\reg, t3, fail
      .endm
      """;

  /** The common end of instruction tests: pass exits 0, fail exits with the test number in s11. */
  static final String ASM_EPILOGUE = """
      pass:
        EXIT 0
      fail:
        slli a0, s11, 1
        ori a0, a0, 1
        la t6, tohost
        sw a0, 0(t6)
      98: j 98b
      """;

  private GuestBuilder() {}

  /** An instruction test: prelude macros, {@code body} starting at _start, then pass/fail. */
  public static byte[] asmTest(String body) {
    return asm(".section .text.init\n.globl _start\n_start:\n" + body + "\n  j pass\n" + ASM_EPILOGUE);
  }

  public static byte[] asm(String source) {
    return build(ASM_PRELUDE + source, "S");
  }

  /** A C guest; crt0 sets the stack, calls main and exits with its return value. */
  public static byte[] c(String source) {
    return build(source, "c");
  }

  static final String CRT0 = """
      .section .text.init
      .globl _start
      _start:
        la sp, _stack_top
        call main
        slli a0, a0, 1
        ori a0, a0, 1
        la t6, tohost
        sw a0, 0(t6)
      1: j 1b
      """;

  private static synchronized byte[] build(String source, String ext) {
    try {
      String digest = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest((ext + "\0" + source + LINKER_SCRIPT).getBytes(StandardCharsets.UTF_8))).substring(0, 24);
      Files.createDirectories(CACHE);
      Path elf = CACHE.resolve(digest + ".elf");
      if (Files.exists(elf)) {
        return Files.readAllBytes(elf);
      }
      Path dir = Files.createTempDirectory(CACHE, "build");
      Files.writeString(dir.resolve("link.ld"), LINKER_SCRIPT);
      Files.writeString(dir.resolve("main." + ext), source);
      List<String> objects = new ArrayList<>();
      objects.add(compile(dir, "main." + ext));
      if (ext.equals("c")) {
        Files.writeString(dir.resolve("crt0.S"), CRT0);
        objects.add(compile(dir, "crt0.S"));
      }
      List<String> link = new ArrayList<>(List.of("ld.lld", "-T", "link.ld", "-o", "guest.elf"));
      link.addAll(objects);
      run(dir, link);
      Files.move(dir.resolve("guest.elf"), elf);
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
      return Files.readAllBytes(elf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String compile(Path dir, String file) throws IOException {
    String obj = file + ".o";
    run(dir, List.of("clang", "--target=riscv32-unknown-elf", "-march=rv32im", "-mabi=ilp32", "-O2",
        "-ffreestanding", "-nostdlib", "-fno-builtin", "-mno-relax", "-c", file, "-o", obj));
    return obj;
  }

  private static void run(Path dir, List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(BUILD_SECONDS_MAX, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(cmd.get(0) + " timed out");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed:\n" + out);
    }
  }
}
