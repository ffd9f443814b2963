package dev.lockstep.ftvm.disasm;

/**
 * Disassembles one RV32IM + Zicsr instruction word into the text llvm-objdump prints with
 * {@code -M no-aliases} (mnemonic, a space, the operands): ABI register names, signed decimal
 * immediates, {@code offset(base)} for loads, stores and jalr, absolute hex targets for branches and
 * jal, CSR names where the CSR has one. A word that is not an RV32IM + Zicsr instruction gives
 * {@code <unknown>}. Split by opcode family; each case is tagged with its mnemonic.
 */
public final class Disassembler {
  /** The text for a word that is no RV32IM + Zicsr instruction, as llvm-objdump prints it. */
  public static final String UNKNOWN = "<unknown>";

  private static final String[] ABI = {
      "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
      "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

  private Disassembler() {}

  /** The ABI name of register x{@code i} (x8 is {@code s0}). */
  public static String register(int i) {
    return ABI[i];
  }

  /** The register number for an ABI name, an {@code xN} name or {@code fp}; -1 if none. */
  public static int registerNumber(String name) {
    if (name.equals("fp")) {
      return 8;
    }
    for (int i = 0; i < ABI.length; i++) {
      if (ABI[i].equals(name)) {
        return i;
      }
    }
    if (name.matches("x([0-9]|[12][0-9]|3[01])")) {
      return Integer.parseInt(name.substring(1));
    }
    return -1;
  }

  /** The text of the instruction {@code insn} at address {@code pc}. */
  public static String disassemble(int insn, int pc) {
    if ((insn & 3) != 3) {
      return UNKNOWN;
    }
    switch ((insn >>> 2) & 0x1F) {
      case 0x0D: return "lui " + reg(rd(insn)) + ", " + (insn >>> 12); // lui
      case 0x05: return "auipc " + reg(rd(insn)) + ", " + (insn >>> 12); // auipc
      case 0x1B: return "jal " + reg(rd(insn)) + ", " + hex(pc + jalOffset(insn)); // jal
      case 0x19: return funct3(insn) == 0 ? "jalr " + reg(rd(insn)) + ", " + (insn >> 20) + "(" + reg(rs1(insn)) + ")" : UNKNOWN;
      case 0x18: return branch(insn, pc);
      case 0x00: return load(insn);
      case 0x08: return store(insn);
      case 0x04: return opImm(insn);
      case 0x0C: return op(insn);
      case 0x03: return miscMem(insn);
      case 0x1C: return system(insn);
      default: return UNKNOWN;
    }
  }

  /**
   * The register the instruction writes when it retires (its rd), or -1: none, x0, or not an
   * instruction. A trap taken instead of retiring writes no register either.
   */
  public static int destination(int insn) {
    if ((insn & 3) != 3 || UNKNOWN.equals(disassemble(insn, 0))) {
      return -1;
    }
    int rd = rd(insn);
    switch ((insn >>> 2) & 0x1F) {
      case 0x0D: case 0x05: case 0x1B: case 0x19: case 0x00: case 0x04: case 0x0C:
        return rd == 0 ? -1 : rd;
      case 0x1C:
        return funct3(insn) != 0 && rd != 0 ? rd : -1; // csr*
      default:
        return -1;
    }
  }

  static int jalOffset(int insn) {
    return ((insn >> 31) << 20) | (insn & 0xFF000) | ((insn >>> 9) & 0x800) | ((insn >>> 20) & 0x7FE);
  }

  static int branchOffset(int insn) {
    return ((insn >> 31) << 12) | ((insn << 4) & 0x800) | ((insn >>> 20) & 0x7E0) | ((insn >>> 7) & 0x1E);
  }

  private static String branch(int insn, int pc) {
    String m;
    switch (funct3(insn)) {
      case 0: m = "beq"; break;
      case 1: m = "bne"; break;
      case 4: m = "blt"; break;
      case 5: m = "bge"; break;
      case 6: m = "bltu"; break;
      case 7: m = "bgeu"; break;
      default: return UNKNOWN;
    }
    return m + " " + reg(rs1(insn)) + ", " + reg(rs2(insn)) + ", " + hex(pc + branchOffset(insn));
  }

  private static String load(int insn) {
    String m;
    switch (funct3(insn)) {
      case 0: m = "lb"; break;
      case 1: m = "lh"; break;
      case 2: m = "lw"; break;
      case 4: m = "lbu"; break;
      case 5: m = "lhu"; break;
      default: return UNKNOWN;
    }
    return m + " " + reg(rd(insn)) + ", " + (insn >> 20) + "(" + reg(rs1(insn)) + ")";
  }

  private static String store(int insn) {
    String m;
    switch (funct3(insn)) {
      case 0: m = "sb"; break;
      case 1: m = "sh"; break;
      case 2: m = "sw"; break;
      default: return UNKNOWN;
    }
    int off = ((insn >> 25) << 5) | ((insn >>> 7) & 0x1F);
    return m + " " + reg(rs2(insn)) + ", " + off + "(" + reg(rs1(insn)) + ")";
  }

  private static String opImm(int insn) {
    int imm = insn >> 20;
    int f7 = insn >>> 25;
    String m;
    switch (funct3(insn)) {
      case 0: m = "addi"; break;
      case 2: m = "slti"; break;
      case 3: m = "sltiu"; break;
      case 4: m = "xori"; break;
      case 6: m = "ori"; break;
      case 7: m = "andi"; break;
      case 1: // slli
        if (f7 != 0) {
          return UNKNOWN;
        }
        m = "slli";
        imm &= 31;
        break;
      case 5: // srli, srai
        if (f7 != 0 && f7 != 0x20) {
          return UNKNOWN;
        }
        m = f7 == 0 ? "srli" : "srai";
        imm &= 31;
        break;
      default: return UNKNOWN;
    }
    return m + " " + reg(rd(insn)) + ", " + reg(rs1(insn)) + ", " + imm;
  }

  private static String op(int insn) {
    String m;
    switch (insn >>> 25) {
      case 0x00: m = opBase(funct3(insn)); break;
      case 0x20: m = opAlt(funct3(insn)); break;
      case 0x01: m = opMul(funct3(insn)); break;
      default: return UNKNOWN;
    }
    if (m == null) {
      return UNKNOWN;
    }
    return m + " " + reg(rd(insn)) + ", " + reg(rs1(insn)) + ", " + reg(rs2(insn));
  }

  private static String opBase(int f3) {
    switch (f3) {
      case 0: return "add";
      case 1: return "sll";
      case 2: return "slt";
      case 3: return "sltu";
      case 4: return "xor";
      case 5: return "srl";
      case 6: return "or";
      default: return "and";
    }
  }

  private static String opAlt(int f3) {
    switch (f3) {
      case 0: return "sub";
      case 5: return "sra";
      default: return null;
    }
  }

  private static String opMul(int f3) {
    switch (f3) {
      case 0: return "mul";
      case 1: return "mulh";
      case 2: return "mulhsu";
      case 3: return "mulhu";
      case 4: return "div";
      case 5: return "divu";
      case 6: return "rem";
      default: return "remu";
    }
  }

  private static String miscMem(int insn) {
    switch (funct3(insn)) {
      case 0: return "fence " + fenceSet(insn >>> 24) + ", " + fenceSet(insn >>> 20); // fence
      case 1: return "fence.i"; // fence.i
      default: return UNKNOWN;
    }
  }

  private static String fenceSet(int bits) {
    StringBuilder b = new StringBuilder();
    if ((bits & 8) != 0) b.append('i');
    if ((bits & 4) != 0) b.append('o');
    if ((bits & 2) != 0) b.append('r');
    if ((bits & 1) != 0) b.append('w');
    return b.length() == 0 ? "0" : b.toString();
  }

  private static String system(int insn) {
    int f3 = funct3(insn);
    if (f3 == 0) {
      if (rd(insn) != 0 || rs1(insn) != 0) {
        return UNKNOWN;
      }
      switch (insn >>> 20) {
        case 0x000: return "ecall";
        case 0x001: return "ebreak";
        case 0x302: return "mret";
        case 0x105: return "wfi";
        default: return UNKNOWN;
      }
    }
    String m;
    switch (f3) {
      case 1: m = "csrrw"; break;
      case 2: m = "csrrs"; break;
      case 3: m = "csrrc"; break;
      case 5: m = "csrrwi"; break;
      case 6: m = "csrrsi"; break;
      case 7: m = "csrrci"; break;
      default: return UNKNOWN;
    }
    String src = f3 >= 5 ? Integer.toString(rs1(insn)) : reg(rs1(insn));
    return m + " " + reg(rd(insn)) + ", " + csrName(insn >>> 20) + ", " + src;
  }

  /** The name llvm-objdump gives a CSR, or its number in decimal. */
  public static String csrName(int csr) {
    switch (csr) {
      case 0x300: return "mstatus";
      case 0x301: return "misa";
      case 0x304: return "mie";
      case 0x305: return "mtvec";
      case 0x310: return "mstatush";
      case 0x340: return "mscratch";
      case 0x341: return "mepc";
      case 0x342: return "mcause";
      case 0x343: return "mtval";
      case 0x344: return "mip";
      case 0xB00: return "mcycle";
      case 0xB02: return "minstret";
      case 0xB80: return "mcycleh";
      case 0xB82: return "minstreth";
      case 0xC00: return "cycle";
      case 0xC01: return "time";
      case 0xC02: return "instret";
      case 0xC80: return "cycleh";
      case 0xC81: return "timeh";
      case 0xC82: return "instreth";
      case 0xF11: return "mvendorid";
      case 0xF12: return "marchid";
      case 0xF13: return "mimpid";
      case 0xF14: return "mhartid";
      default: return Integer.toString(csr);
    }
  }

  /** The CSR a Zicsr instruction accesses, or -1 for any other word. */
  public static int csr(int insn) {
    return (insn & 0x7F) == 0x73 && funct3(insn) != 0 && funct3(insn) != 4 ? insn >>> 20 : -1;
  }

  private static String hex(int addr) {
    return "0x" + Integer.toHexString(addr);
  }

  private static String reg(int i) {
    return ABI[i];
  }

  private static int rd(int insn) {
    return (insn >>> 7) & 31;
  }

  private static int rs1(int insn) {
    return (insn >>> 15) & 31;
  }

  private static int rs2(int insn) {
    return (insn >>> 20) & 31;
  }

  private static int funct3(int insn) {
    return (insn >>> 12) & 7;
  }
}
