package dev.lockstep.ftvm.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A CPU-bound guest encoded here, for {@code lockstep bench machine} when the {@code cpubench} guest is
 * not bundled: an FNV-style hash over a 4 KiB buffer that it rewrites as it goes (loads, stores,
 * multiplies, shifts, a division per pass). It never halts; the bench runs it for a time.
 */
final class FallbackBenchProgram {
  private static final int BASE = 0x8000_0000;
  private static final int BUF = 0x8000_1000;
  private static final int TOHOST = 0x8000_2000;
  private static final int RAM_FILE_BYTES = 0x2008;

  private FallbackBenchProgram() {}

  static byte[] elf() {
    int s0 = 8, s1 = 9, s2 = 18, t0 = 5, t1 = 6, t2 = 7, t3 = 28, t4 = 29, t5 = 30, a0 = 10, a1 = 11;
    int[] code = {
      u(0x37, s0, BUF), // lui s0, BUF
      i(0x13, 0, s1, 0, 0), // li s1, 0
      // outer (pc 8)
      i(0x13, 0, t0, 0, 0), // li t0, 0
      i(0x13, 0, t1, 0, 1024), // li t1, 1024
      u(0x37, a0, 0x811C_A000), i(0x13, 0, a0, a0, 0xDC5 - 0x1000), // li a0, 0x811C9DC5
      u(0x37, a1, 0x0100_0000), i(0x13, 0, a1, a1, 0x193), // li a1, 0x01000193
      // inner (pc 32)
      i(0x13, 1, t2, t0, 2), // slli t2, t0, 2
      r(0, 0, t2, t2, s0), // add t2, t2, s0
      i(0x03, 2, t3, t2, 0), // lw t3, 0(t2)
      r(0, 4, a0, a0, t3), // xor a0, a0, t3
      r(1, 0, a0, a0, a1), // mul a0, a0, a1
      r(0, 0, t3, t3, a0), // add t3, t3, a0
      i(0x13, 5, t4, a0, 7), // srli t4, a0, 7
      r(0, 4, t3, t3, t4), // xor t3, t3, t4
      s(2, t2, t3, 0), // sw t3, 0(t2)
      i(0x13, 0, t0, t0, 1), // addi t0, t0, 1
      b(1, t0, t1, -40), // bne t0, t1, inner
      i(0x13, 0, s1, s1, 1), // addi s1, s1, 1
      r(1, 5, t5, a0, s1), // divu t5, a0, s1
      r(0, 0, s2, s2, t5), // add s2, s2, t5
      j(-80), // j outer
    };
    return build(code);
  }

  private static int r(int f7, int f3, int rd, int rs1, int rs2) {
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33;
  }

  private static int i(int opcode, int f3, int rd, int rs1, int imm) {
    return (imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
  }

  private static int s(int f3, int rs1, int rs2, int imm) {
    return ((imm >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | 0x23;
  }

  private static int b(int f3, int rs1, int rs2, int off) {
    return (((off >> 12) & 1) << 31) | (((off >> 5) & 0x3F) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12)
        | (((off >> 1) & 0xF) << 8) | (((off >> 11) & 1) << 7) | 0x63;
  }

  private static int u(int opcode, int rd, int value) {
    return (value & 0xFFFF_F000) | (rd << 7) | opcode;
  }

  private static int j(int off) {
    return (((off >> 20) & 1) << 31) | (((off >> 1) & 0x3FF) << 21) | (((off >> 11) & 1) << 20)
        | (((off >> 12) & 0xFF) << 12) | 0x6F;
  }

  /** An ELF32 RISC-V executable: one PT_LOAD at BASE holding the code, and a tohost symbol. */
  private static byte[] build(int[] code) {
    byte[] strtab = "\0tohost\0".getBytes(StandardCharsets.US_ASCII);
    int ehdr = 52, phdr = 32, shdr = 40;
    int segOff = 0x1000;
    int symOff = segOff + RAM_FILE_BYTES;
    int strOff = symOff + 32;
    int shOff = (strOff + strtab.length + 3) & ~3;
    ByteBuffer f = ByteBuffer.allocate(shOff + 3 * shdr).order(ByteOrder.LITTLE_ENDIAN);
    f.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1, 0}).position(16);
    f.putShort((short) 2).putShort((short) 243).putInt(1).putInt(BASE).putInt(ehdr).putInt(shOff).putInt(0)
        .putShort((short) ehdr).putShort((short) phdr).putShort((short) 1).putShort((short) shdr)
        .putShort((short) 3).putShort((short) 0);
    f.putInt(1).putInt(segOff).putInt(BASE).putInt(BASE).putInt(RAM_FILE_BYTES).putInt(RAM_FILE_BYTES).putInt(7).putInt(4);
    f.position(segOff);
    for (int w : code) {
      f.putInt(w);
    }
    f.position(symOff + 16);
    f.putInt(1).putInt(TOHOST).putInt(8).put((byte) 0x10).put((byte) 0).putShort((short) 1);
    f.position(strOff);
    f.put(strtab);
    f.position(shOff + shdr); // section 0 is null
    f.putInt(0).putInt(2).putInt(0).putInt(0).putInt(symOff).putInt(32).putInt(2).putInt(1).putInt(4).putInt(16);
    f.putInt(0).putInt(3).putInt(0).putInt(0).putInt(strOff).putInt(strtab.length).putInt(0).putInt(0).putInt(1).putInt(0);
    return f.array();
  }
}
