package dev.lockstep.ftvm.cli;

import dev.lockstep.ftvm.disasm.Disassembler;
import dev.lockstep.ftvm.disasm.TraceLine;
import dev.lockstep.ftvm.machine.Machine;
import java.io.PrintStream;

/** The {@code FROM:TO} argument of {@code --trace} and the line printed for each traced instruction. */
final class TraceWindow {
  private TraceWindow() {}

  /** {@code [from, to)} from {@code FROM:TO}; TO may be omitted (FROM plus 1000). */
  static long[] parse(String arg, long instructionsMax) throws CliFailure {
    String[] parts = arg.split(":", -1);
    try {
      if (parts.length > 2) {
        throw new NumberFormatException();
      }
      long from = Long.parseLong(parts[0].replace("_", ""));
      long to = parts.length == 1 || parts[1].isEmpty() ? from + 1000 : Long.parseLong(parts[1].replace("_", ""));
      if (from < 0 || to <= from) {
        throw new CliFailure(ExitCodes.USAGE, "--trace " + arg + ": need 0 <= FROM < TO");
      }
      if (to - from > instructionsMax) {
        throw new CliFailure(ExitCodes.USAGE, "--trace " + arg + ": at most " + instructionsMax + " instructions");
      }
      return new long[] {from, to};
    } catch (NumberFormatException e) {
      throw new CliFailure(ExitCodes.USAGE, "--trace " + arg + ": expected FROM:TO, two icounts (e.g. 1000:1200)");
    }
  }

  /** Prints {@code icount pc: word  instruction  reg=value} per retired instruction. */
  static Machine.Tracer printer(Machine m, PrintStream out) {
    return (icount, pc, insn) -> out.println(line(icount, pc, insn, m));
  }

  static String line(long icount, int pc, int insn, Machine m) {
    int rd = Disassembler.destination(insn);
    return TraceLine.format(icount, pc, insn, rd < 0 ? 0 : m.register(rd));
  }
}
