package dev.lockstep.harness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lockstep} command: one entry point for every tool of the project. */
@Command(
    name = "lockstep",
    mixinStandardHelpOptions = true,
    version = "lockstep 0.1.0",
    description = "A fault-tolerant RISC-V virtual machine (ftvm) and a Jepsen-style tester for it.",
    subcommands = {
      CommandLine.HelpCommand.class,
      dev.lockstep.checkers.cli.CheckCommand.class,
      BenchCommand.class,
      dev.lockstep.ftvm.cli.MachineCommand.class,
      dev.lockstep.ftvm.zk.ZkCommand.class,
      dev.lockstep.ftvm.client.ClientCommand.class,
      dev.lockstep.ftvm.node.host.NodeCommand.class,
      TestCommand.class,
      SimCommand.class,
      RerunCommand.class,
      ReplayCommand.class,
      DivergeCommand.class,
      DebugCommand.class,
      NightlyCommand.class,
    })
public final class LockstepCli implements Runnable {

  /** Exit code for bad arguments or unreadable input. */
  public static final int EXIT_USAGE = 254;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new LockstepCli());
    cli.setExitCodeExceptionMapper(e -> EXIT_USAGE);
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("lockstep: " + ex.getMessage());
          ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return EXIT_USAGE;
        });
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
