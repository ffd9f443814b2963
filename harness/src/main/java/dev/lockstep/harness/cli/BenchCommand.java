package dev.lockstep.harness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lockstep bench}: the project's benchmarks; each subcommand prints {@code name=value} lines. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints name=value lines with the unit last in the name.",
    subcommands = {
      dev.lockstep.ftvm.cli.BenchMachineCommand.class,
      dev.lockstep.ftvm.node.FtBenchCommand.class,
    })
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
