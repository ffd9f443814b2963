package dev.lockstep.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep sim}: argument errors, and a swarm's summary, kept runs and exit code. */
class SimCommandTest {

  @TempDir Path tmp;

  private static CliRun lockstep(String... args) {
    return CliRun.of(args);
  }

  @Test
  void badArgumentsExit254WithOneClearLine() {
    String[][] cases = {
      {"sim", "--workload", "nope"},
      {"sim", "--time-limit", "0"},
      {"sim", "--unsafe", "everything"},
      {"sim", "--seeds", "0"},
      {"sim", "--seeds", "3", "--jobs", "0"},
      {"sim", "--seeds", "3", "--shard", "4/4"},
      {"sim", "--seeds", "3", "--shard", "half"},
      {"sim", "--duration", "soon"},
      {"sim", "--jobs", "2"},
      {"sim", "--seed", "x"},
      {"sim", "--until-fail"},
      {"sim", "--mips", "0"},
    };
    String[] expected = {"unknown 'nope'", "--time-limit", "unknown bug 'everything'", "--seeds", "--jobs", "0 <= I < N",
        "is not I/N", "not a duration", "belong to a swarm", "--seed",
        "belong to a swarm", "--mips: must be in [1, 100000]"};
    for (int i = 0; i < cases.length; i++) {
      CliRun r = lockstep(cases[i]);
      assertEquals(254, r.exit(), String.join(" ", cases[i]));
      assertTrue(r.err().contains(expected[i]), String.join(" ", cases[i]) + ": " + r.err());
      assertTrue(r.err().startsWith("lockstep"), r.err());
    }
  }

  @Test
  void untilFailStartsNoSeedAfterTheFirstFailure() {
    Path store = tmp.resolve("store");
    // One job, so the seeds run in order and the failing one must be the last: 19 passes, 20 finds
    // no-dedup (as in the test below), 21.. never start (21 would find it too).
    CliRun r = lockstep("sim", "--seed", "19", "--seeds", "20", "--jobs", "1", "--until-fail", "--time-limit", "30",
        "--workload", "append", "--unsafe", "no-dedup", "--store", store.toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("sim swarm: 2 seeds run"), r.out());
    assertTrue(r.out().contains("stopped at the first failure, found after "), r.out());
    assertTrue(r.out().contains("duplicate-output: seeds 20\n"), r.out());
  }

  @Test
  void aSwarmThatFindsThePlantedBugExits1AndKeepsOnlyTheFailingRuns() throws Exception {
    Path store = tmp.resolve("store");
    // seed 19 passes, 20 finds no-dedup
    CliRun r = lockstep("sim", "--seed", "19", "--seeds", "2", "--jobs", "2", "--time-limit", "30", "--workload", "append",
        "--unsafe", "no-dedup", "--store", store.toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("sim swarm: 2 seeds run"), r.out());
    assertTrue(r.out().contains("duplicate-output: seeds 20"), r.out());
    assertTrue(r.out().contains("bin/lockstep sim --seed 20 --workload append --time-limit 30 --unsafe no-dedup --store "
        + store), r.out());
    assertTrue(r.out().contains("valid? false"), r.out());
    assertEquals(1, runDirectories(store).size(), "the passing seeds' runs are not kept: " + runDirectories(store));
    try (Stream<Path> s = Files.list(store)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".sim-scratch")), "scratch removed");
    }
  }

  @Test
  void aCleanSwarmExits0WithNothingKept() throws Exception {
    Path store = tmp.resolve("clean");
    CliRun r = lockstep("sim", "--seed", "100", "--seeds", "4", "--shard", "1/2", "--time-limit", "3", "--store",
        store.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("sim swarm: 2 seeds run (from seed 100, shard 1/2"), r.out());
    assertTrue(r.out().contains("failures: none"), r.out());
    assertEquals(List.of(), runDirectories(store));
  }

  @Test
  void aSingleRunPrintsItsReproduceCommand() {
    Path store = tmp.resolve("one");
    CliRun r = lockstep("sim", "--seed", "5", "--time-limit", "2", "--store", store.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("rerun: bin/lockstep sim --seed 5 --workload cas-register --time-limit 2 --store " + store),
        r.out());
  }

  private static List<Path> runDirectories(Path store) throws Exception {
    if (!Files.isDirectory(store)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(store, 2)) {
      return s.filter(p -> p.getFileName().toString().matches("\\d{8}T\\d{6}\\.\\d{3}"))
          .filter(p -> !Files.isSymbolicLink(p)).sorted().toList();
    }
  }
}
