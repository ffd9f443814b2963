package dev.lockstep.harness.cli;

import dev.lockstep.harness.runner.TestSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockstep rerun RUN}: the same test again, with the recorded seed and settings. */
@Command(
    name = "rerun",
    mixinStandardHelpOptions = true,
    header = "Run a stored test again with its recorded seed and settings.",
    description = {
      "Run a stored test again with the seed and settings recorded in its test.json; the new run gets its",
      "own run directory. Exit codes as 'lockstep test'."
    })
public final class RerunCommand implements Callable<Integer> {

  @Parameters(paramLabel = "RUN", description = "A run directory (or a test's 'latest' link).")
  Path run;

  @Option(names = "--store", description = "Directory for the new run (default: the recorded one).")
  String store;

  @Override
  public Integer call() {
    Quiet.libraries();
    try {
      TestSettings settings = RunArgument.settings(RunArgument.open(run));
      if (store != null) {
        settings = settings.withStore(store);
      }
      settings.validate();
      System.out.println("rerunning: " + settings.command());
      return TestCommand.run(settings);
    } catch (RunArgument.UsageError | IllegalArgumentException e) {
      System.err.println("lockstep rerun: " + e.getMessage());
      return LockstepCli.EXIT_USAGE;
    }
  }
}
