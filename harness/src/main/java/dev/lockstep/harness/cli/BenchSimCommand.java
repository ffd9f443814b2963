package dev.lockstep.harness.cli;

import dev.lockstep.harness.sim.SimBench;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lockstep bench sim}: how fast the simulator runs and how soon a swarm finds each planted bug
 * ({@link SimBench}); {@code name=value} lines on stdout, progress on stderr.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {
      "Simulation figures (name=value lines, unit last): sim_speedup (simulated s per wall s, one job),",
      "sim_seeds_per_min (runs per wall minute on --jobs), and for each planted bug sim_find_<bug>_s, the",
      "median over --swarms swarms of the wall seconds until a swarm on --jobs finds it (a swarm that finds",
      "nothing within --bound-s counts as the bound, and in <bug>_timeouts). Every seed is drawn from --seed."
    })
public final class BenchSimCommand implements Callable<Integer> {

  /** Swarms per bug by default; in quick mode one. */
  public static final int SWARMS = 5;
  public static final double BOUND_SECONDS = 120;
  public static final double BOUND_SECONDS_QUICK = 30;

  @Option(names = "--seed", defaultValue = "1", description = "Root of every seed base the bench draws (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--swarms", description = "Swarms per planted bug; the figure is their median (default " + SWARMS + ", quick 1).")
  Integer swarms;

  @Option(names = "--bound-s", description = "Wall seconds a swarm may hunt before it counts as a timeout (default 120, quick 30).")
  Double boundSeconds;

  @Option(names = "--jobs", description = "Threads of the throughput figure and of each hunt (default: the available processors).")
  Integer jobs;

  @Option(names = "--time-limit", defaultValue = "30", description = "Simulated seconds of load per run (default ${DEFAULT-VALUE}).")
  double timeLimit;

  @Option(names = "--quick", description = "Fewer seeds and swarms, a shorter bound: a smoke test, not a figure.")
  boolean quick;

  @Option(names = "--store", defaultValue = "store/bench-sim", description = "Where runs go; failures of the clean phases are kept here (default ${DEFAULT-VALUE}).")
  String store;

  @Override
  public Integer call() {
    Quiet.libraries();
    Quiet.simulatedNodes();
    SimBench.Settings settings;
    try {
      settings = new SimBench.Settings(seed, timeLimit, jobs != null ? jobs : Runtime.getRuntime().availableProcessors(),
          swarms != null ? swarms : quick ? 1 : SWARMS,
          boundSeconds != null ? boundSeconds : quick ? BOUND_SECONDS_QUICK : BOUND_SECONDS, quick, store).validate();
    } catch (IllegalArgumentException e) {
      System.err.println("lockstep bench sim: " + e.getMessage());
      return LockstepCli.EXIT_USAGE;
    }
    try {
      new SimBench(settings, System.err, (name, value) -> {
        System.out.println(name + "=" + value);
        System.out.flush();
      }).run();
      return 0;
    } catch (IOException e) {
      System.err.println("lockstep bench sim: cannot write the store: " + e.getMessage());
      return TestCommand.EXIT_NOT_RUN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TestCommand.EXIT_NOT_RUN;
    }
  }
}
