package dev.lockstep.ftvm.machine;

/**
 * The guest cannot continue: an exception with no trap handler installed (mtvec = 0), or traps that
 * repeat without retiring an instruction. Thrown by {@link Machine#run(long)}; the machine stays
 * faulted and every later run throws the same fault. Deterministic: replay faults at the same icount.
 */
public final class GuestFault extends RuntimeException {
  private final long icount;
  private final int pc;
  private final int cause;
  private final int tval;

  public GuestFault(String message, long icount, int pc, int cause, int tval) {
    super(message);
    this.icount = icount;
    this.pc = pc;
    this.cause = cause;
    this.tval = tval;
  }

  public long icount() {
    return icount;
  }

  public int pc() {
    return pc;
  }

  /** The mcause value of the trap that could not be taken. */
  public int cause() {
    return cause;
  }

  public int tval() {
    return tval;
  }
}
