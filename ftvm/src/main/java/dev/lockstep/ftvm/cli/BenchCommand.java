package dev.lockstep.ftvm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lockstep bench}: benchmarks that print {@code name=value} lines, the unit last in the name. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints name=value lines with the unit last in the name.",
    subcommands = {BenchMachineCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
