package dev.lockstep.ftvm.machine;

/** Why {@link Machine#run(long)} returned. */
public enum RunStatus {
  /** icount reached the limit given to run. */
  LIMIT,
  /** The guest executed wfi with no interrupt pending and enabled; the wfi retired. */
  IDLE,
  /** The guest wrote its exit code to tohost; see {@link Machine#exitCode()}. */
  HALTED
}
