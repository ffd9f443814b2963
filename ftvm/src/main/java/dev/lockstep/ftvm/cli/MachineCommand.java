package dev.lockstep.ftvm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lockstep machine}: run and replay guests on the deterministic RV32IM machine. */
@Command(
    name = "machine",
    mixinStandardHelpOptions = true,
    description = "Run and replay guests on the deterministic RV32IM machine (memory map: ftvm/DEVICES.md).",
    subcommands = {MachineRunCommand.class, MachineReplayCommand.class, MachineDebugCommand.class},
    footer = ExitCodes.HELP_FOOTER)
public final class MachineCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
