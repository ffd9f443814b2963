package dev.lockstep.harness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lockstep bench}: the parent of every benchmark; each module adds its own subcommand here,
 * one per line. It lives in the harness because only the harness sees every module.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark; prints name=value lines, the unit last in each name.",
    subcommands = {
      dev.lockstep.ftvm.cli.BenchMachineCommand.class,
      dev.lockstep.ftvm.node.bench.FtBenchCommand.class,
      dev.lockstep.checkers.cli.BenchCheckersCommand.class,
      BenchHarnessCommand.class,
      BenchSimCommand.class,
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
