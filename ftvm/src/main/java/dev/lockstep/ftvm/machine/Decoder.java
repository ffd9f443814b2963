package dev.lockstep.ftvm.machine;

/**
 * Decodes one instruction word into the packed form the interpreter's fast loop executes:
 * bits 0–7 op, 8–13 rd (x0 becomes the sink register 32), 14–18 rs1, 19–23 rs2, and the immediate
 * in the high 32 bits. Position-dependent values (auipc results, branch and jal targets, the latter
 * as word indexes into RAM) are resolved here, so a decoded entry is only valid at the address it was decoded for. Everything the
 * fast loop cannot do (system instructions, illegal encodings, jumps to misaligned targets) decodes
 * to {@link #SLOW}. Split by opcode family to keep every method small.
 */
final class Decoder {
  // op numbers: dense so the fast loop's switch compiles to a jump table
  static final int MISS = 0;
  static final int SLOW = 1;
  static final int LUI = 2; // also auipc, with pc folded into the immediate
  static final int JAL = 3;
  static final int JALR = 4;
  static final int BEQ = 5;
  static final int BNE = 6;
  static final int BLT = 7;
  static final int BGE = 8;
  static final int BLTU = 9;
  static final int BGEU = 10;
  static final int LB = 11;
  static final int LH = 12;
  static final int LW = 13;
  static final int LBU = 14;
  static final int LHU = 15;
  static final int SB = 16;
  static final int SH = 17;
  static final int SW = 18;
  static final int ADDI = 19;
  static final int SLTI = 20;
  static final int SLTIU = 21;
  static final int XORI = 22;
  static final int ORI = 23;
  static final int ANDI = 24;
  static final int SLLI = 25;
  static final int SRLI = 26;
  static final int SRAI = 27;
  static final int ADD = 28;
  static final int SUB = 29;
  static final int SLL = 30;
  static final int SLT = 31;
  static final int SLTU = 32;
  static final int XOR = 33;
  static final int SRL = 34;
  static final int SRA = 35;
  static final int OR = 36;
  static final int AND = 37;
  static final int MUL = 38;
  static final int MULH = 39;
  static final int MULHSU = 40;
  static final int MULHU = 41;
  static final int DIV = 42;
  static final int DIVU = 43;
  static final int REM = 44;
  static final int REMU = 45;
  static final int FENCE = 46;

  static final int SINK = 32;

  private Decoder() {}

  static long decode(int insn, int pc) {
    if ((insn & 3) != 3) {
      return SLOW; // compressed or illegal: RV32IM has no 16-bit instructions
    }
    switch ((insn >>> 2) & 0x1F) {
      case 0x0D: return pack(LUI, insn, insn & 0xFFFF_F000); // lui
      case 0x05: return pack(LUI, insn, pc + (insn & 0xFFFF_F000)); // auipc
      case 0x1B: return jal(insn, pc);
      case 0x19: return ((insn >>> 12) & 7) == 0 ? pack(JALR, insn, insn >> 20) : SLOW;
      case 0x18: return branch(insn, pc);
      case 0x00: return load(insn);
      case 0x08: return store(insn);
      case 0x04: return opImm(insn);
      case 0x0C: return op(insn);
      case 0x03: return ((insn >>> 12) & 7) <= 1 ? pack(FENCE, insn, 0) : SLOW; // fence, fence.i
      default: return SLOW;
    }
  }

  private static long jal(int insn, int pc) {
    int off = ((insn >> 31) << 20) | (insn & 0xFF000) | ((insn >>> 9) & 0x800) | ((insn >>> 20) & 0x7FE);
    int target = pc + off;
    return (target & 3) == 0 ? pack(JAL, insn, wordIndex(target)) : SLOW;
  }

  /** Jump and branch targets are stored as word indexes into RAM, the fast loop's form of the pc. */
  private static int wordIndex(int target) {
    return (target ^ Memory.BASE) >>> 2;
  }

  static int branchOffset(int insn) {
    return ((insn >> 31) << 12) | ((insn << 4) & 0x800) | ((insn >>> 20) & 0x7E0) | ((insn >>> 7) & 0x1E);
  }

  private static long branch(int insn, int pc) {
    int target = pc + branchOffset(insn);
    if ((target & 3) != 0) {
      return SLOW;
    }
    int t = wordIndex(target);
    switch ((insn >>> 12) & 7) {
      case 0: return pack(BEQ, insn, t);
      case 1: return pack(BNE, insn, t);
      case 4: return pack(BLT, insn, t);
      case 5: return pack(BGE, insn, t);
      case 6: return pack(BLTU, insn, t);
      case 7: return pack(BGEU, insn, t);
      default: return SLOW;
    }
  }

  private static long load(int insn) {
    int imm = insn >> 20;
    switch ((insn >>> 12) & 7) {
      case 0: return pack(LB, insn, imm);
      case 1: return pack(LH, insn, imm);
      case 2: return pack(LW, insn, imm);
      case 4: return pack(LBU, insn, imm);
      case 5: return pack(LHU, insn, imm);
      default: return SLOW;
    }
  }

  static int storeOffset(int insn) {
    return ((insn >> 25) << 5) | ((insn >>> 7) & 0x1F);
  }

  private static long store(int insn) {
    int imm = storeOffset(insn);
    switch ((insn >>> 12) & 7) {
      case 0: return pack(SB, insn, imm);
      case 1: return pack(SH, insn, imm);
      case 2: return pack(SW, insn, imm);
      default: return SLOW;
    }
  }

  private static long opImm(int insn) {
    int imm = insn >> 20;
    int f7 = insn >>> 25;
    switch ((insn >>> 12) & 7) {
      case 0: return pack(ADDI, insn, imm);
      case 2: return pack(SLTI, insn, imm);
      case 3: return pack(SLTIU, insn, imm);
      case 4: return pack(XORI, insn, imm);
      case 6: return pack(ORI, insn, imm);
      case 7: return pack(ANDI, insn, imm);
      case 1: return f7 == 0 ? pack(SLLI, insn, imm & 31) : SLOW;
      default: // 5
        return f7 == 0 ? pack(SRLI, insn, imm & 31) : f7 == 0x20 ? pack(SRAI, insn, imm & 31) : SLOW;
    }
  }

  private static final int[] OP_BASE = {ADD, SLL, SLT, SLTU, XOR, SRL, OR, AND};
  private static final int[] OP_M = {MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU};

  private static long op(int insn) {
    int f3 = (insn >>> 12) & 7;
    switch (insn >>> 25) {
      case 0x00: return pack(OP_BASE[f3], insn, 0);
      case 0x01: return pack(OP_M[f3], insn, 0);
      case 0x20: return f3 == 0 ? pack(SUB, insn, 0) : f3 == 5 ? pack(SRA, insn, 0) : SLOW;
      default: return SLOW;
    }
  }

  private static long pack(int op, int insn, int imm) {
    int rd = (insn >>> 7) & 31;
    if (rd == 0) {
      rd = SINK;
    }
    int rs1 = (insn >>> 15) & 31;
    int rs2 = (insn >>> 20) & 31;
    int lo = op | (rd << 8) | (rs1 << 14) | (rs2 << 19);
    return ((long) imm << 32) | (lo & 0xFFFF_FFFFL);
  }
}
