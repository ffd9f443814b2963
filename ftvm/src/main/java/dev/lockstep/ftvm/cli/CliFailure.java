package dev.lockstep.ftvm.cli;

/** A user-facing failure: one line on stderr and an exit code. */
final class CliFailure extends Exception {
  final int exitCode;

  CliFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }
}
