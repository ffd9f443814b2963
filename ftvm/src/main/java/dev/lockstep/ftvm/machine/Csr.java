package dev.lockstep.ftvm.machine;

/**
 * The machine-mode CSRs: numbers, which exist, which are read-only, and their read/write rules.
 * Counters: mcycle and minstret both advance once per retired instruction; a write sets the value
 * the next instruction sees. {@code time}/{@code timeh} read mtime: the low half is a clock event
 * that latches the high half, like the MTIME registers.
 */
final class Csr {
  static final int MSTATUS = 0x300;
  static final int MISA = 0x301;
  static final int MIE = 0x304;
  static final int MTVEC = 0x305;
  static final int MSTATUSH = 0x310;
  static final int MSCRATCH = 0x340;
  static final int MEPC = 0x341;
  static final int MCAUSE = 0x342;
  static final int MTVAL = 0x343;
  static final int MIP = 0x344;
  static final int MCYCLE = 0xB00;
  static final int MINSTRET = 0xB02;
  static final int MCYCLEH = 0xB80;
  static final int MINSTRETH = 0xB82;
  static final int CYCLE = 0xC00;
  static final int TIME = 0xC01;
  static final int INSTRET = 0xC02;
  static final int CYCLEH = 0xC80;
  static final int TIMEH = 0xC81;
  static final int INSTRETH = 0xC82;
  static final int MVENDORID = 0xF11;
  static final int MARCHID = 0xF12;
  static final int MIMPID = 0xF13;
  static final int MHARTID = 0xF14;

  private static final int MIE_WRITABLE = Hart.MIP_MTIP | Hart.MIP_MEIP;

  private Csr() {}

  static boolean exists(int csr) {
    switch (csr) {
      case MSTATUS: case MISA: case MIE: case MTVEC: case MSTATUSH: case MSCRATCH: case MEPC: case MCAUSE:
      case MTVAL: case MIP: case MCYCLE: case MINSTRET: case MCYCLEH: case MINSTRETH: case CYCLE: case TIME:
      case INSTRET: case CYCLEH: case TIMEH: case INSTRETH: case MVENDORID: case MARCHID: case MIMPID:
      case MHARTID:
        return true;
      default:
        return false;
    }
  }

  /** Read-only by the encoding rule: CSR address bits 11:10 are 11. */
  static boolean readOnly(int csr) {
    return (csr >>> 10) == 3;
  }

  static int read(Hart h, int csr) {
    switch (csr) {
      case MSTATUS: return h.mstatus | Hart.MSTATUS_MPP_M;
      case MISA: return Hart.MISA_RV32IM;
      case MIE: return h.mie;
      case MTVEC: return h.mtvec;
      case MSCRATCH: return h.mscratch;
      case MEPC: return h.mepc;
      case MCAUSE: return h.mcause;
      case MTVAL: return h.mtval;
      case MIP: return h.mip();
      case MCYCLE: case CYCLE: return (int) (h.icount + h.cycleOffset);
      case MCYCLEH: case CYCLEH: return (int) ((h.icount + h.cycleOffset) >>> 32);
      case MINSTRET: case INSTRET: return (int) (h.icount + h.instretOffset);
      case MINSTRETH: case INSTRETH: return (int) ((h.icount + h.instretOffset) >>> 32);
      case TIME: return (int) h.devices.readMtime(h.icount);
      case TIMEH: return h.devices.mtimeHiLatch();
      default: return 0; // mstatush, mvendorid, marchid, mimpid, mhartid
    }
  }

  static void write(Hart h, int csr, int v) {
    long next = h.icount + 1; // the value written is what the next instruction sees
    switch (csr) {
      case MSTATUS: h.mstatus = v & (Hart.MSTATUS_MIE | Hart.MSTATUS_MPIE); break;
      case MIE: h.mie = v & MIE_WRITABLE; break;
      case MTVEC: h.mtvec = (v & 3) >= 2 ? v & ~3 : v; break; // modes 2 and 3 are reserved: direct
      case MSCRATCH: h.mscratch = v; break;
      case MEPC: h.mepc = v & ~3; break;
      case MCAUSE: h.mcause = v; break;
      case MTVAL: h.mtval = v; break;
      case MCYCLE: h.cycleOffset = withLow(h.icount + h.cycleOffset, v) - next; break;
      case MCYCLEH: h.cycleOffset = withHigh(h.icount + h.cycleOffset, v) - next; break;
      case MINSTRET: h.instretOffset = withLow(h.icount + h.instretOffset, v) - next; break;
      case MINSTRETH: h.instretOffset = withHigh(h.icount + h.instretOffset, v) - next; break;
      default: break; // misa, mip, mstatush: writes ignored (WARL)
    }
  }

  private static long withLow(long old, int v) {
    return (old & 0xFFFF_FFFF_0000_0000L) | (v & 0xFFFF_FFFFL);
  }

  private static long withHigh(long old, int v) {
    return (old & 0xFFFF_FFFFL) | ((long) v << 32);
  }
}
