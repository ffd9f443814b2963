package dev.lockstep.harness.cli;

import dev.lockstep.checkers.Checkers;
import dev.lockstep.checkers.HistoryOrder;
import dev.lockstep.checkers.Summary;
import dev.lockstep.checkers.linear.LinearOptions;
import dev.lockstep.checkers.linear.Model;
import dev.lockstep.harness.runner.ClusterException;
import dev.lockstep.harness.runner.Judge;
import dev.lockstep.harness.runner.RunOutcome;
import dev.lockstep.harness.runner.TestRunner;
import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.harness.workload.Workloads;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lockstep bench harness}: how many ops per second the harness records against a real cluster
 * with the nemesis idle, and how long the checkers take on the resulting history.
 */
@Command(
    name = "harness",
    mixinStandardHelpOptions = true,
    description = "Ops per second recorded with the nemesis idle, and the checkers' time on that history (name=value lines).")
public final class BenchHarnessCommand implements Callable<Integer> {

  @Option(names = "--workload", defaultValue = "kv", description = "Workload (default ${DEFAULT-VALUE}).")
  String workload;

  @Option(names = "--time-limit", defaultValue = "20", description = "Seconds of load (default ${DEFAULT-VALUE}).")
  double timeLimit;

  @Option(names = "--concurrency", defaultValue = "10", description = "Client processes (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--rate", defaultValue = "100000", description = "Offered ops per second; far above what the cluster serves, so the load is closed-loop (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--store", defaultValue = "store/bench", description = "Where the bench's run goes (default ${DEFAULT-VALUE}).")
  String store;

  @Override
  public Integer call() {
    Quiet.libraries();
    TestSettings d = TestSettings.defaults();
    TestSettings settings = new TestSettings(workload, List.of(), timeLimit, concurrency, rate, 1, null, 1, 2, List.of(),
        d.keyCount(), d.callTimeoutSeconds(), d.livenessSeconds(), d.nemesisIntervalSeconds(), store);
    try {
      settings.validate();
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      RunOutcome o = new TestRunner(quiet, System.err, false).run(settings);
      long start = System.nanoTime();
      LinearOptions options = LinearOptions.of(Model.parse(Workloads.model(workload)), System::nanoTime)
          .withTimeLimit(Judge.LINEAR_TIME_LIMIT);
      Summary checked = Checkers.checkRunDirectory(o.runDirectory(), options, HistoryOrder.INDEX);
      long checkMs = (System.nanoTime() - start) / 1_000_000L;
      System.out.printf(Locale.ROOT, "harness_ops=%d%n", o.ops());
      System.out.printf(Locale.ROOT, "harness_ops_per_s=%.1f%n", o.ops() / timeLimit);
      System.out.printf(Locale.ROOT, "checkers_ms=%d%n", checkMs);
      System.out.println("checkers_verdict=" + checked.verdict().label());
      System.out.println("run_directory=" + o.runDirectory());
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("lockstep bench harness: " + e.getMessage());
      return LockstepCli.EXIT_USAGE;
    } catch (ClusterException | IOException e) {
      System.err.println("lockstep bench harness: " + e.getMessage());
      return TestCommand.EXIT_NOT_RUN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TestCommand.EXIT_NOT_RUN;
    }
  }
}
