package dev.lockstep.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.harness.sim.SimSwarm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep nightly}'s simulated swarm: its slice, its summary section, and --no-sim. */
class NightlyCommandTest {

  @TempDir Path tmp;

  private static CliRun lockstep(String... args) {
    return CliRun.of(args);
  }

  @Test
  void aNightTooShortForARealRunGivesItAllToTheSwarmAndReportsIt() throws Exception {
    Path store = tmp.resolve("night");
    // 8 s of wall time cannot hold a 60 s real run, so the whole night is one swarm slice.
    CliRun r = lockstep("nightly", "--duration", "8s", "--time-limit", "60", "--seed", "3", "--workloads", "append",
        "--sim-time-limit", "5", "--sim-jobs", "2", "--store", store.toString());
    // a seed may end undecided (a kill that took the only copy of the state): exit 2, never a failure
    assertTrue(r.exit() == 0 || r.exit() == 2, "exit " + r.exit() + ": " + r.out() + r.err());
    assertTrue(r.out().contains("sim share 0.5"), r.out());
    assertTrue(r.out().contains("sim-append swarm\tseeds "), r.out());
    String text = Files.readString(store.resolve("nightly-summary.txt"));
    assertTrue(text.startsWith("runs=0 invalid=0 unknown=0"), text);
    assertTrue(text.contains("sim swarm: slices=1 seeds="), text);
    assertTrue(text.contains("jobs=2 failed=0 unknown="), text);
    assertTrue(text.contains("sim failures by checker: none"), text);
    JsonNode json = new ObjectMapper().readTree(store.resolve("nightly-summary.json").toFile());
    JsonNode sim = json.get("sim");
    assertTrue(sim.get("seeds").asLong() > 0, sim.toString());
    assertTrue(sim.get("simulated-hours").asDouble() > 0, sim.toString());
    assertEquals("append", sim.get("swarm-slices").get(0).get("workload").asText());
    assertEquals(5, sim.get("time-limit-sim-seconds").asDouble());
  }

  @Test
  void noSimLeavesTheSwarmOff() throws Exception {
    Path store = tmp.resolve("night");
    CliRun r = lockstep("nightly", "--duration", "1s", "--time-limit", "60", "--no-sim", "--store", store.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    String text = Files.readString(store.resolve("nightly-summary.txt"));
    assertTrue(text.contains("sim swarm: off (--no-sim)"), text);
    assertFalse(new ObjectMapper().readTree(store.resolve("nightly-summary.json").toFile()).has("sim"));
  }

  @Test
  void aBadShareIsAUsageError() {
    CliRun r = lockstep("nightly", "--sim-share", "0");
    assertEquals(254, r.exit());
    assertTrue(r.err().contains("--sim-share"), r.err());
    assertEquals(254, lockstep("nightly", "--sim-jobs", "0").exit());
    assertEquals(254, lockstep("nightly", "--sim-time-limit", "0").exit());
  }

  @Test
  void theSwarmSectionListsFailuresByCheckerWithTheirReproduceCommands() {
    NightlySwarm swarm = new NightlySwarm(List.of("cas-register"), 30, 2, "store/nightly", new SplittableRandom(1));
    String command = "bin/lockstep sim --seed 42 --workload cas-register --time-limit 30 --store store/nightly";
    SimSwarm.SeedResult failed = new SimSwarm.SeedResult(42, command, "false", List.of("linearizable", "split-brain"),
        Path.of("store/nightly/sim-cas-register-kill/20260101T000000.000"), 33, null);
    swarm.add(new NightlySwarm.Slice("cas-register", 40,
        new SimSwarm.Summary(120, 3600, List.of(failed), List.of(), 60, 12.5)));
    String text = swarm.text();
    assertTrue(text.contains("sim swarm: slices=1 seeds=120 simulated_h=1.000 wall_s=60 jobs=2 failed=1 unknown=0"), text);
    assertTrue(text.contains("sim failures by checker:\n  linearizable: 1 seeds\n    " + command), text);
    assertTrue(text.contains("  split-brain: 1 seeds\n    " + command + "\tstore/nightly/sim-cas-register-kill/"), text);
    assertTrue(text.contains("sim undecided by checker: none"), text);
    assertEquals("false", swarm.verdict().label());
  }
}
