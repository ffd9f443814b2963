package dev.lockstep.harness.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.harness.api.LockstepTest;
import dev.lockstep.harness.api.TestResult;
import dev.lockstep.harness.cli.LockstepCli;
import dev.lockstep.harness.runner.NodeReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fault-free run end to end, then its reproduction: every report is written, the primary's guest
 * replays from its log with identical outputs and state hashes, and {@code lockstep replay} says so.
 */
class ReplayIT {

  @Test
  void aFaultFreeRunIsValidReportedAndReplaysIdentically() throws Exception {
    TestResult result = LockstepTest.builder()
        .workload("kv").nemesis("none").seed(3001).timeLimit(Duration.ofSeconds(8)).concurrency(3).rate(30)
        .store(Path.of(System.getProperty("lockstep.chaos.store", "target/chaos-runs")))
        .run();
    assertTrue(result.valid(), result.describe());
    Path run = result.runDirectory();
    for (String file : List.of("history.jsonl", "history.edn", "test.json", "results.json", "index.html",
        "timeline.html", "latency.svg", "throughput.svg", "nodes/n1/events.jsonl", "nodes/n1/replay.log")) {
      assertTrue(Files.isRegularFile(run.resolve(file)), file + " in " + run);
    }
    List<NodeReplay.Outcome> outcomes = NodeReplay.replayAll(run, "kv");
    NodeReplay.Outcome primary = outcomes.stream().filter(o -> o.node().equals("n1")).findFirst().orElseThrow();
    assertTrue(primary.identical(), primary.detail());
    assertTrue(primary.detail().contains("from boot"), primary.detail());
    assertEquals(outcomes.stream().allMatch(NodeReplay.Outcome::matches) ? 0 : 1,
        LockstepCli.commandLine().execute("replay", run.toString()));
  }

  /**
   * Kills, partitions and pauses, then {@code lockstep replay}: a killed node's log ends early and
   * replays as incomplete at the icount where it ends; no log of the run replays as different.
   */
  @Test
  void aRunWithKillsPartitionsAndPausesReplaysIdenticalOrIncompleteNeverDifferent() throws Exception {
    TestResult result = LockstepTest.builder()
        .workload("cas-register").nemesis("kill", "partition", "pause").seed(3002).timeLimit(Duration.ofSeconds(20))
        .concurrency(3).rate(30).nemesisInterval(Duration.ofSeconds(2))
        .store(Path.of(System.getProperty("lockstep.chaos.store", "target/chaos-runs")))
        .run();
    Path run = result.runDirectory();
    List<NodeReplay.Outcome> outcomes = NodeReplay.replayAll(run, "kv");
    assertTrue(outcomes.size() >= 3, "a killed node restarts with a new segment: " + outcomes);
    for (NodeReplay.Outcome o : outcomes) {
      assertTrue(o.matches(), o.node() + ": " + o.detail() + " (run " + run + ")");
    }
    assertEquals(0, LockstepCli.commandLine().execute("replay", run.toString()));
  }
}
