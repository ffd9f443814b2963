package dev.lockstep.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.harness.api.LockstepTest;
import dev.lockstep.harness.api.TestResult;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep diverge} on a real run (node processes, ZooKeeper, sockets) with the planted bug
 * backup-own-clock under the clock nemesis (PlantedBugsIT's scenario and seed, which catch it): it
 * names the clock read where the backup parted.
 */
class DivergeCommandIT {
  @TempDir Path store;

  @Test
  void namesTheClockReadWhereARealBackupOwnClockBackupParted() throws Exception {
    TestResult result = LockstepTest.builder()
        .workload("cas-register")
        .nemesis("clock")
        .seed(1003)
        .timeLimit(Duration.ofSeconds(15))
        .concurrency(4)
        .rate(40)
        .nemesisInterval(Duration.ofSeconds(3))
        .callTimeout(Duration.ofSeconds(2))
        .unsafe("backup-own-clock")
        .store(store)
        .run();
    assertEquals(Verdict.FALSE, result.verdict(), "backup-own-clock went unnoticed: " + result.describe());
    CliRun r = CliRun.of("diverge", result.runDirectory().toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    DivergeCommandTest.assertPartedAtAClockReadOnBothSides(r.out());
  }
}
