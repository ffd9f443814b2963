package dev.lockstep.harness.cli;

import dev.lockstep.harness.runner.NodeReplay;
import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.harness.workload.Workloads;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lockstep replay RUN}: re-executes every node's guest from its replay log and compares. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    header = "Re-execute a stored run's nodes from their replay logs and compare.",
    description = {
      "Re-execute each node's guest of a stored run from its replay logs (nodes/<id>/replay.log, and",
      "replay-2.log, ... for each restart of the node, each from boot or from the snapshot kept next to it): the same",
      "inputs at the same icounts must give identical outputs and state hashes; otherwise the first",
      "difference is named. Each log is identical (it matched up to its SHUTDOWN or HALT), incomplete (it",
      "matched as far as it goes, but ends early: a node killed with SIGKILL, named with the icount where",
      "its log ends) or DIFFERENT (a real mismatch, with the first icount and both values, or a log that",
      "cannot be replayed).",
      "Exit: 0 every log identical or incomplete, 1 a log is different, 254 bad arguments."
    })
public final class ReplayCommand implements Callable<Integer> {

  @Parameters(paramLabel = "RUN", description = "A run directory (or a test's 'latest' link).")
  Path run;

  @Override
  public Integer call() {
    try {
      RunDirectory dir = RunArgument.open(run);
      TestSettings settings = RunArgument.settings(dir);
      String guest = Workloads.guest(settings.workload());
      List<NodeReplay.Outcome> outcomes = NodeReplay.replayAll(dir.path(), guest);
      if (outcomes.isEmpty()) {
        System.err.println("lockstep replay: " + dir.path() + ": no node has a replay log");
        return LockstepCli.EXIT_USAGE;
      }
      long different = 0;
      long incomplete = 0;
      for (NodeReplay.Outcome o : outcomes) {
        System.out.println(o.node() + ": " + o.detail());
        different += o.verdict() == NodeReplay.Verdict.DIFFERENT ? 1 : 0;
        incomplete += o.verdict() == NodeReplay.Verdict.INCOMPLETE ? 1 : 0;
      }
      if (different > 0) {
        System.out.println("replay: DIFFERENT (" + different + " of " + outcomes.size() + " logs)");
        return 1;
      }
      System.out.println(incomplete == 0 ? "replay: identical"
          : "replay: identical as far as each log goes (" + incomplete + " of " + outcomes.size()
              + " logs end early, at a kill)");
      return 0;
    } catch (RunArgument.UsageError e) {
      System.err.println("lockstep replay: " + e.getMessage());
      return LockstepCli.EXIT_USAGE;
    } catch (IOException e) {
      System.err.println("lockstep replay: " + run + ": cannot read (" + e.getMessage() + ")");
      return LockstepCli.EXIT_USAGE;
    }
  }
}
