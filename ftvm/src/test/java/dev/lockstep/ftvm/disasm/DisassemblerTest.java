package dev.lockstep.ftvm.disasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The disassembler against a golden corpus made with llvm-objdump 14 ({@code -d -M no-aliases
 * --mattr=+m}, symbol names after targets dropped): every instruction of the four bundled guests and
 * of {@code disasm/all-rv32im-zicsr.S}, which has each RV32IM + Zicsr instruction at its immediate
 * limits. Lines are {@code PC WORD TEXT}.
 */
class DisassemblerTest {

  @Test
  void agreesWithLlvmObjdumpOnEveryCorpusLine() throws IOException {
    List<String> wrong = new ArrayList<>();
    int lines = 0;
    try (InputStream in = DisassemblerTest.class.getResourceAsStream("/disasm/llvm-objdump-14.txt")) {
      assertTrue(in != null, "test resource disasm/llvm-objdump-14.txt missing");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split(" ", 3);
        int pc = Integer.parseUnsignedInt(f[0], 16);
        int word = Integer.parseUnsignedInt(f[1], 16);
        String got = Disassembler.disassemble(word, pc);
        if (!got.equals(f[2])) {
          wrong.add(line + "  => got: " + got);
        }
        lines++;
      }
    }
    assertTrue(lines > 2000, "corpus has only " + lines + " lines");
    assertTrue(wrong.isEmpty(), wrong.size() + " of " + lines + " differ:\n" + String.join("\n", wrong.subList(0, Math.min(20, wrong.size()))));
  }

  @Test
  void namesTheRegisterAnInstructionWrites() {
    assertEquals(10, Disassembler.destination(0x00000537)); // lui a0, 0
    assertEquals(-1, Disassembler.destination(0x00000013)); // addi zero, zero, 0
    assertEquals(-1, Disassembler.destination(0x0014a023)); // sw ra, 0(s1)
    assertEquals(-1, Disassembler.destination(0xfeb500e3)); // beq
    assertEquals(10, Disassembler.destination(0xc0102573)); // csrrs a0, time, zero
    assertEquals(-1, Disassembler.destination(0x30451073)); // csrrw zero, mie, a0
    assertEquals(1, Disassembler.destination(0x028000ef)); // jal ra
    assertEquals(31, Disassembler.destination(0x0262ffb3)); // remu t6, t0, t1
    assertEquals(-1, Disassembler.destination(0xffffffff));
  }

  @Test
  void knowsTheClockCsrAndRegisterNames() {
    assertEquals(0xC01, Disassembler.csr(0xc0102573));
    assertEquals(-1, Disassembler.csr(0x00000073)); // ecall
    assertEquals("s0", Disassembler.register(8));
    assertEquals(8, Disassembler.registerNumber("fp"));
    assertEquals(31, Disassembler.registerNumber("x31"));
    assertEquals(-1, Disassembler.registerNumber("x32"));
  }
}
