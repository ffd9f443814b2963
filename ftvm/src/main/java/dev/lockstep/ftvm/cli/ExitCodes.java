package dev.lockstep.ftvm.cli;

/**
 * Exit codes of the machine commands. A halted guest exits with its tohost code (low 8 bits); the
 * codes below are reserved for the machine's own outcomes, so guests should keep their codes below
 * 250.
 */
public final class ExitCodes {
  /** Replay differs from the recording (outputs, state hash, exit). */
  public static final int DIVERGED = 251;
  /** The guest did not halt within --max-instructions. */
  public static final int INSTRUCTION_LIMIT = 252;
  /** The guest faulted: a trap with no handler (e.g. an illegal instruction), or a trap loop. */
  public static final int GUEST_FAULT = 253;
  /** Bad arguments or unreadable input (a missing file, a bad ELF, a corrupt log). */
  public static final int USAGE = 254;

  private ExitCodes() {}

  static final String HELP_FOOTER = "%nExit codes: the guest's tohost exit code when it halts; "
      + DIVERGED + " replay diverged; " + INSTRUCTION_LIMIT + " --max-instructions reached; "
      + GUEST_FAULT + " guest fault (illegal instruction or other trap with no handler); "
      + USAGE + " bad arguments or unreadable input.";
}
