package dev.lockstep.ftvm.machine;

import static dev.lockstep.ftvm.machine.Decoder.*;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The RV32IM + Zicsr hart in machine mode. {@link #runFast} executes pre-decoded instructions in a
 * loop without calls and bails out, before touching any state, on whatever it does not handle:
 * decode misses, device and misaligned accesses, stores to tohost, system instructions, misaligned
 * jump targets, illegal encodings. {@link #stepSlow} then executes exactly that one instruction.
 */
final class Hart {
  static final int MSTATUS_MIE = 1 << 3;
  static final int MSTATUS_MPIE = 1 << 7;
  static final int MSTATUS_MPP_M = 3 << 11;
  static final int MISA_RV32IM = (1 << 30) | (1 << 8) | (1 << 12);
  static final int MIP_MTIP = 1 << 7;
  static final int MIP_MEIP = 1 << 11;
  static final int INTERRUPT = 0x8000_0000;

  static final int CAUSE_FETCH_MISALIGNED = 0;
  static final int CAUSE_FETCH_ACCESS = 1;
  static final int CAUSE_ILLEGAL = 2;
  static final int CAUSE_BREAKPOINT = 3;
  static final int CAUSE_LOAD_MISALIGNED = 4;
  static final int CAUSE_LOAD_ACCESS = 5;
  static final int CAUSE_STORE_MISALIGNED = 6;
  static final int CAUSE_STORE_ACCESS = 7;
  static final int CAUSE_ECALL_M = 11;

  /** Traps in a row without a retired instruction before the guest is declared stuck. */
  static final int TRAPS_WITHOUT_RETIRE_MAX = 4;

  /** x0 … x31, then the sink register 32 that decoded writes to x0 go to. */
  final int[] x = new int[64];
  int pc;
  long icount;

  int mstatus;
  int mie;
  int mtvec;
  int mscratch;
  int mepc;
  int mcause;
  int mtval;
  long cycleOffset;
  long instretOffset;

  boolean halted;
  int exitCode;
  boolean idle;
  GuestFault fault;
  private long lastTrapIcount = -1;
  private int trapsInRow;

  final Memory memory;
  final Devices devices;
  int tohostOff = -1;

  Hart(Memory memory, Devices devices) {
    this.memory = memory;
    this.devices = devices;
  }

  // ------------------------------------------------------------------ fast path

  /**
   * Runs decoded instructions until icount reaches {@code limit} or an instruction needs the slow
   * path; leaves pc at that instruction, not executed.
   */
  void runFast(long limit) {
    final int[] x = this.x;
    final int[] mem = memory.mem;
    final long[] code = memory.code;
    final byte[] dirty = memory.dirty;
    final byte[] codePages = memory.codePages;
    final int tohostW = tohostOff < 0 ? -1 : tohostOff >>> 2;
    // bounds are checked against the arrays' own lengths so that C2 drops its implicit range checks;
    // the pc lives as a word index into RAM: pc == (wi << 2) ^ 0x8000_0000 for every aligned pc
    int wi = (this.pc ^ 0x8000_0000) >>> 2;
    // TRICKY: an int count-down loop is a counted loop to C2, which then polls for safepoints once
    // per strip of iterations instead of at every instruction
    final int budget = (int) Math.min(limit - this.icount, 1 << 30);
    int n = budget;
    loop:
    for (; n > 0; n--) {
      if (wi >= code.length) {
        break;
      }
      final long d = code[wi];
      final int w = (int) d;
      final int imm = (int) (d >> 32);
      switch (w & 0xFF) {
        case LUI: x[(w >>> 8) & 63] = imm; break;
        case JAL: x[(w >>> 8) & 63] = ((wi + 1) << 2) ^ 0x8000_0000; wi = imm; continue;
        case JALR: {
          int t = (x[(w >>> 14) & 31] + imm) & ~1;
          if ((t & 2) != 0) {
            break loop;
          }
          x[(w >>> 8) & 63] = ((wi + 1) << 2) ^ 0x8000_0000;
          wi = (t ^ 0x8000_0000) >>> 2;
          continue;
        }
        case BEQ: if (x[(w >>> 14) & 31] == x[(w >>> 19) & 31]) { wi = imm; continue; } break;
        case BNE: if (x[(w >>> 14) & 31] != x[(w >>> 19) & 31]) { wi = imm; continue; } break;
        case BLT: if (x[(w >>> 14) & 31] < x[(w >>> 19) & 31]) { wi = imm; continue; } break;
        case BGE: if (x[(w >>> 14) & 31] >= x[(w >>> 19) & 31]) { wi = imm; continue; } break;
        case BLTU: if ((x[(w >>> 14) & 31] ^ 0x8000_0000) < (x[(w >>> 19) & 31] ^ 0x8000_0000)) { wi = imm; continue; } break;
        case BGEU: if ((x[(w >>> 14) & 31] ^ 0x8000_0000) >= (x[(w >>> 19) & 31] ^ 0x8000_0000)) { wi = imm; continue; } break;
        case LB: {
          int off = (x[(w >>> 14) & 31] + imm) ^ 0x8000_0000;
          if ((off >>> 2) >= mem.length) break loop;
          x[(w >>> 8) & 63] = (mem[off >>> 2] << (24 - ((off & 3) << 3))) >> 24;
          break;
        }
        case LBU: {
          int off = (x[(w >>> 14) & 31] + imm) ^ 0x8000_0000;
          if ((off >>> 2) >= mem.length) break loop;
          x[(w >>> 8) & 63] = (mem[off >>> 2] >>> ((off & 3) << 3)) & 0xFF;
          break;
        }
        case LH: {
          int off = (x[(w >>> 14) & 31] + imm) ^ 0x8000_0000;
          if ((off & 1) != 0 || (off >>> 2) >= mem.length) break loop;
          x[(w >>> 8) & 63] = (mem[off >>> 2] << (16 - ((off & 2) << 3))) >> 16;
          break;
        }
        case LHU: {
          int off = (x[(w >>> 14) & 31] + imm) ^ 0x8000_0000;
          if ((off & 1) != 0 || (off >>> 2) >= mem.length) break loop;
          x[(w >>> 8) & 63] = (mem[off >>> 2] >>> ((off & 2) << 3)) & 0xFFFF;
          break;
        }
        case LW: {
          int off = (x[(w >>> 14) & 31] + imm) ^ 0x8000_0000;
          if ((off & 3) != 0 || (off >>> 2) >= mem.length) break loop;
          x[(w >>> 8) & 63] = mem[off >>> 2];
          break;
        }
        case SB: {
          int off = (x[(w >>> 14) & 31] + imm) ^ 0x8000_0000;
          int sw = off >>> 2;
          if (sw >= mem.length || sw == tohostW) break loop;
          int sh = (off & 3) << 3;
          mem[sw] = (mem[sw] & ~(0xFF << sh)) | ((x[(w >>> 19) & 31] & 0xFF) << sh);
          if (codePages[off >>> Memory.PAGE_SHIFT] != 0) {
            code[sw] = 0;
          }
          dirty[off >>> Memory.PAGE_SHIFT] = 1;
          break;
        }
        case SH: {
          int off = (x[(w >>> 14) & 31] + imm) ^ 0x8000_0000;
          int sw = off >>> 2;
          if ((off & 1) != 0 || sw >= mem.length || sw == tohostW) break loop;
          int sh = (off & 2) << 3;
          mem[sw] = (mem[sw] & ~(0xFFFF << sh)) | ((x[(w >>> 19) & 31] & 0xFFFF) << sh);
          if (codePages[off >>> Memory.PAGE_SHIFT] != 0) {
            code[sw] = 0;
          }
          dirty[off >>> Memory.PAGE_SHIFT] = 1;
          break;
        }
        case SW: {
          int off = (x[(w >>> 14) & 31] + imm) ^ 0x8000_0000;
          int sw = off >>> 2;
          if ((off & 3) != 0 || sw >= mem.length || sw == tohostW) break loop;
          mem[sw] = x[(w >>> 19) & 31];
          if (codePages[off >>> Memory.PAGE_SHIFT] != 0) {
            code[sw] = 0;
          }
          dirty[off >>> Memory.PAGE_SHIFT] = 1;
          break;
        }
        case ADDI: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] + imm; break;
        case SLTI: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] < imm ? 1 : 0; break;
        case SLTIU: x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] ^ 0x8000_0000) < (imm ^ 0x8000_0000) ? 1 : 0; break;
        case XORI: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] ^ imm; break;
        case ORI: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | imm; break;
        case ANDI: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & imm; break;
        case SLLI: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] << imm; break;
        case SRLI: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> imm; break;
        case SRAI: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >> imm; break;
        // register-register: Java masks int shift amounts to 5 bits, exactly as RV32 does
        case ADD: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] + x[(w >>> 19) & 31]; break;
        case SUB: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] - x[(w >>> 19) & 31]; break;
        case SLL: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] << x[(w >>> 19) & 31]; break;
        case SLT: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] < x[(w >>> 19) & 31] ? 1 : 0; break;
        case SLTU: x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] ^ 0x8000_0000) < (x[(w >>> 19) & 31] ^ 0x8000_0000) ? 1 : 0; break;
        case XOR: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] ^ x[(w >>> 19) & 31]; break;
        case SRL: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> x[(w >>> 19) & 31]; break;
        case SRA: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >> x[(w >>> 19) & 31]; break;
        case OR: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | x[(w >>> 19) & 31]; break;
        case AND: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & x[(w >>> 19) & 31]; break;
        case MUL: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] * x[(w >>> 19) & 31]; break;
        case MULH: x[(w >>> 8) & 63] = (int) (((long) x[(w >>> 14) & 31] * (long) x[(w >>> 19) & 31]) >> 32); break;
        case MULHSU: x[(w >>> 8) & 63] = (int) (((long) x[(w >>> 14) & 31] * (x[(w >>> 19) & 31] & 0xFFFF_FFFFL)) >> 32); break;
        case MULHU: x[(w >>> 8) & 63] = (int) (((x[(w >>> 14) & 31] & 0xFFFF_FFFFL) * (x[(w >>> 19) & 31] & 0xFFFF_FFFFL)) >>> 32); break;
        // Java's MIN_VALUE / -1 is MIN_VALUE and MIN_VALUE % -1 is 0, as RV32 wants; only zero needs care
        case DIV: { int b = x[(w >>> 19) & 31]; x[(w >>> 8) & 63] = b == 0 ? -1 : x[(w >>> 14) & 31] / b; break; }
        // unsigned: a plain int division when both operands are non-negative, which is the common case
        case DIVU: {
          int a = x[(w >>> 14) & 31];
          int b = x[(w >>> 19) & 31];
          x[(w >>> 8) & 63] = b == 0 ? -1 : (a | b) >= 0 ? a / b : (int) ((a & 0xFFFF_FFFFL) / (b & 0xFFFF_FFFFL));
          break;
        }
        case REM: { int b = x[(w >>> 19) & 31]; x[(w >>> 8) & 63] = b == 0 ? x[(w >>> 14) & 31] : x[(w >>> 14) & 31] % b; break; }
        case REMU: {
          int a = x[(w >>> 14) & 31];
          int b = x[(w >>> 19) & 31];
          x[(w >>> 8) & 63] = b == 0 ? a : (a | b) >= 0 ? a % b : (int) ((a & 0xFFFF_FFFFL) % (b & 0xFFFF_FFFFL));
          break;
        }
        case FENCE: break;
        default: break loop; // MISS, SLOW
      }
      wi++;
    }
    this.pc = (wi << 2) ^ 0x8000_0000;
    this.icount += budget - n;
  }

  // ------------------------------------------------------------------ slow path

  /** Executes the instruction at pc that the fast loop left, or decodes it on a miss. */
  void stepSlow() {
    int wi = (pc ^ 0x8000_0000) >>> 2;
    if (wi >= memory.words) {
      exception(CAUSE_FETCH_ACCESS, pc);
      return;
    }
    long d = memory.code[wi];
    if (d == 0) {
      memory.code[wi] = Decoder.decode(memory.mem[wi], pc);
      memory.codePages[wi >>> (Memory.PAGE_SHIFT - 2)] = 1;
      return;
    }
    int w = (int) d;
    int imm = (int) (d >> 32);
    int op = w & 0xFF;
    int rs1 = x[(w >>> 14) & 31];
    if (op >= LB && op <= LHU) {
      load(op, rs1 + imm, (w >>> 8) & 63);
    } else if (op >= SB && op <= SW) {
      store(op, rs1 + imm, x[(w >>> 19) & 31]);
    } else if (op == JALR) {
      exception(CAUSE_FETCH_MISALIGNED, (rs1 + imm) & ~1);
    } else if (op == SLOW) {
      slowInstruction(memory.mem[wi]);
    } else {
      throw new IllegalStateException("fast loop left op " + op + " at pc " + Integer.toHexString(pc));
    }
  }

  private void retire() {
    pc += 4;
    icount++;
  }

  private void load(int op, int addr, int rd) {
    int size = op == LW ? 4 : (op == LH || op == LHU) ? 2 : 1;
    if ((addr & (size - 1)) != 0) {
      exception(CAUSE_LOAD_MISALIGNED, addr);
      return;
    }
    int off = memory.offset(addr, size);
    int word;
    if (off >= 0) {
      word = memory.mem[off >>> 2];
    } else {
      long v = Devices.isDeviceAddress(addr) ? devices.load(addr & ~3, icount) : Devices.UNMAPPED;
      if (v == Devices.UNMAPPED) {
        exception(CAUSE_LOAD_ACCESS, addr);
        return;
      }
      word = (int) v;
    }
    int sh = (addr & 3) << 3;
    int value;
    switch (op) {
      case LB: value = (word << (24 - sh)) >> 24; break;
      case LBU: value = (word >>> sh) & 0xFF; break;
      case LH: value = (word << (16 - sh)) >> 16; break;
      case LHU: value = (word >>> sh) & 0xFFFF; break;
      default: value = word;
    }
    x[rd] = value;
    retire();
  }

  private void store(int op, int addr, int value) {
    int size = op == SW ? 4 : op == SH ? 2 : 1;
    if ((addr & (size - 1)) != 0) {
      exception(CAUSE_STORE_MISALIGNED, addr);
      return;
    }
    int off = memory.offset(addr, size);
    if (off >= 0) {
      if (size == 4) {
        memory.storeWord(off, value);
      } else if (size == 2) {
        memory.storeHalf(off, value);
      } else {
        memory.storeByte(off, value);
      }
      retire();
      checkTohost(off);
      return;
    }
    // device registers take the (zero-extended) value of a store of any width at their address
    int v = size == 4 ? value : size == 2 ? value & 0xFFFF : value & 0xFF;
    if (!Devices.isDeviceAddress(addr) || !devices.store(addr, v, icount)) {
      exception(CAUSE_STORE_ACCESS, addr);
      return;
    }
    retire();
  }

  private void checkTohost(int off) {
    if (tohostOff >= 0 && (off >>> 2) == (tohostOff >>> 2)) {
      int v = memory.mem[tohostOff >>> 2];
      if ((v & 1) != 0) {
        halted = true;
        exitCode = v >>> 1;
      }
    }
  }

  private void slowInstruction(int insn) {
    switch (insn & 0x7F) {
      case 0x73: system(insn); return;
      case 0x6F: exception(CAUSE_FETCH_MISALIGNED, pc + jalOffset(insn)); return; // jal, target misaligned
      case 0x63: branchToMisaligned(insn); return;
      default: exception(CAUSE_ILLEGAL, insn);
    }
  }

  private static int jalOffset(int insn) {
    return ((insn >> 31) << 20) | (insn & 0xFF000) | ((insn >>> 9) & 0x800) | ((insn >>> 20) & 0x7FE);
  }

  /** A branch whose target is misaligned: traps only when taken. */
  private void branchToMisaligned(int insn) {
    int a = x[(insn >>> 15) & 31];
    int b = x[(insn >>> 20) & 31];
    boolean taken;
    switch ((insn >>> 12) & 7) {
      case 0: taken = a == b; break;
      case 1: taken = a != b; break;
      case 4: taken = a < b; break;
      case 5: taken = a >= b; break;
      case 6: taken = Integer.compareUnsigned(a, b) < 0; break;
      case 7: taken = Integer.compareUnsigned(a, b) >= 0; break;
      default: exception(CAUSE_ILLEGAL, insn); return;
    }
    if (taken) {
      exception(CAUSE_FETCH_MISALIGNED, pc + Decoder.branchOffset(insn));
    } else {
      retire();
    }
  }

  private void system(int insn) {
    int f3 = (insn >>> 12) & 7;
    if (f3 == 0) {
      privileged(insn);
    } else if (f3 == 4) {
      exception(CAUSE_ILLEGAL, insn);
    } else {
      csrInstruction(insn, f3);
    }
  }

  private void privileged(int insn) {
    switch (insn) {
      case 0x0000_0073: exception(CAUSE_ECALL_M, 0); return; // ecall
      case 0x0010_0073: exception(CAUSE_BREAKPOINT, pc); return; // ebreak
      case 0x3020_0073: mret(); return; // mret
      case 0x1050_0073: wfi(); return; // wfi
      default: exception(CAUSE_ILLEGAL, insn);
    }
  }

  private void mret() {
    boolean mpie = (mstatus & MSTATUS_MPIE) != 0;
    mstatus = (mstatus & ~MSTATUS_MIE) | (mpie ? MSTATUS_MIE : 0) | MSTATUS_MPIE;
    pc = mepc;
    icount++;
  }

  private void wfi() {
    retire();
    if ((mip() & mie) == 0) {
      idle = true;
    }
  }

  private void csrInstruction(int insn, int f3) {
    int csr = insn >>> 20;
    int rd = (insn >>> 7) & 31;
    int src = (insn >>> 15) & 31;
    int operand = f3 >= 5 ? src : x[src];
    int kind = f3 & 3; // 1 write, 2 set, 3 clear
    boolean writes = kind == 1 || src != 0;
    if (!Csr.exists(csr) || (writes && Csr.readOnly(csr))) {
      exception(CAUSE_ILLEGAL, insn);
      return;
    }
    int old = kind == 1 && rd == 0 ? 0 : Csr.read(this, csr);
    if (writes) {
      int value = kind == 1 ? operand : kind == 2 ? old | operand : old & ~operand;
      Csr.write(this, csr, value);
    }
    if (rd != 0) {
      x[rd] = old;
    }
    retire();
  }

  int mip() {
    return (devices.timerPending ? MIP_MTIP : 0) | (devices.externalLine() ? MIP_MEIP : 0);
  }

  /** Takes the highest-priority pending and enabled interrupt, if global interrupts are on. */
  boolean interruptIfPending() {
    int pending = mip() & mie;
    if (pending == 0 || (mstatus & MSTATUS_MIE) == 0) {
      return false;
    }
    int cause = (pending & MIP_MEIP) != 0 ? 11 : 7;
    enterTrap(INTERRUPT | cause, 0);
    return true;
  }

  void exception(int cause, int tval) {
    if (mtvec == 0) {
      fault = new GuestFault(describe(cause, tval) + " at pc 0x" + Integer.toHexString(pc) + ", icount " + icount
          + ", and no trap handler (mtvec = 0)", icount, pc, cause, tval);
      return;
    }
    enterTrap(cause, tval);
  }

  private void enterTrap(int cause, int tval) {
    if (icount == lastTrapIcount) {
      if (++trapsInRow > TRAPS_WITHOUT_RETIRE_MAX) {
        fault = new GuestFault(describe(cause, tval) + " at pc 0x" + Integer.toHexString(pc) + ", icount " + icount
            + ": " + trapsInRow + " traps in a row without retiring an instruction (mtvec = 0x"
            + Integer.toHexString(mtvec) + ")", icount, pc, cause, tval);
        return;
      }
    } else {
      lastTrapIcount = icount;
      trapsInRow = 1;
    }
    mepc = pc;
    mcause = cause;
    mtval = tval;
    boolean mie = (mstatus & MSTATUS_MIE) != 0;
    mstatus = (mstatus & ~(MSTATUS_MIE | MSTATUS_MPIE)) | (mie ? MSTATUS_MPIE : 0);
    int base = mtvec & ~3;
    pc = (cause < 0 && (mtvec & 3) == 1) ? base + 4 * (cause & 0x7FFF_FFFF) : base;
  }

  static String describe(int cause, int tval) {
    String t = "0x" + Integer.toHexString(tval);
    switch (cause) {
      case CAUSE_FETCH_MISALIGNED: return "jump to misaligned address " + t;
      case CAUSE_FETCH_ACCESS: return "instruction fetch from unmapped address " + t;
      case CAUSE_ILLEGAL: return "illegal instruction " + String.format("0x%08x", tval);
      case CAUSE_BREAKPOINT: return "ebreak";
      case CAUSE_LOAD_MISALIGNED: return "misaligned load from " + t;
      case CAUSE_LOAD_ACCESS: return "load from unmapped address " + t;
      case CAUSE_STORE_MISALIGNED: return "misaligned store to " + t;
      case CAUSE_STORE_ACCESS: return "store to unmapped or read-only address " + t;
      case CAUSE_ECALL_M: return "ecall";
      default: return "trap cause 0x" + Integer.toHexString(cause);
    }
  }

  // ------------------------------------------------------------------ state

  long hash(long h) {
    for (int i = 1; i < 32; i++) {
      h = Hashing.add(h, x[i]);
    }
    h = Hashing.add(h, ((long) pc << 32) | (mstatus & 0xFFFF_FFFFL));
    h = Hashing.add(h, icount);
    h = Hashing.add(h, ((long) mie << 32) | (mtvec & 0xFFFF_FFFFL));
    h = Hashing.add(h, ((long) mscratch << 32) | (mepc & 0xFFFF_FFFFL));
    h = Hashing.add(h, ((long) mcause << 32) | (mtval & 0xFFFF_FFFFL));
    h = Hashing.add(h, cycleOffset);
    h = Hashing.add(h, instretOffset);
    return Hashing.add(h, (halted ? 1L << 32 : 0) | (exitCode & 0xFFFF_FFFFL));
  }

  void save(DataOutput out) throws IOException {
    for (int i = 0; i < 32; i++) {
      out.writeInt(x[i]);
    }
    out.writeInt(pc);
    out.writeLong(icount);
    for (int v : new int[] {mstatus, mie, mtvec, mscratch, mepc, mcause, mtval, tohostOff, exitCode, trapsInRow}) {
      out.writeInt(v);
    }
    out.writeLong(cycleOffset);
    out.writeLong(instretOffset);
    out.writeLong(lastTrapIcount);
    out.writeBoolean(halted);
  }

  void load(DataInput in) throws IOException {
    for (int i = 0; i < 32; i++) {
      x[i] = in.readInt();
    }
    x[0] = 0;
    pc = in.readInt();
    icount = in.readLong();
    mstatus = in.readInt();
    mie = in.readInt();
    mtvec = in.readInt();
    mscratch = in.readInt();
    mepc = in.readInt();
    mcause = in.readInt();
    mtval = in.readInt();
    tohostOff = in.readInt();
    exitCode = in.readInt();
    trapsInRow = in.readInt();
    cycleOffset = in.readLong();
    instretOffset = in.readLong();
    lastTrapIcount = in.readLong();
    halted = in.readBoolean();
  }
}
