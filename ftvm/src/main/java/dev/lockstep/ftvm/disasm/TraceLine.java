package dev.lockstep.ftvm.disasm;

/** The one line a trace prints per retired instruction: icount, pc, word, text, the register written. */
public final class TraceLine {
  private TraceLine() {}

  /**
   * @param written the value of the instruction's destination register after it retired (ignored
   *     when it writes none)
   */
  public static String format(long icount, int pc, int insn, int written) {
    String text = Disassembler.disassemble(insn, pc);
    int rd = Disassembler.destination(insn);
    String wrote = rd < 0 ? "" : String.format("%s=0x%08x", Disassembler.register(rd), written);
    return String.format("%12d 0x%08x: %08x  %-32s %s", icount, pc, insn, text, wrote).stripTrailing();
  }
}
