package dev.lockstep.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.harness.api.LockstepTest;
import dev.lockstep.harness.api.TestResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    Matcher window = Pattern.compile("agree at icount (\\d+) and differ at icount (\\d+)").matcher(r.out());
    assertTrue(window.find(), r.out());
    Matcher parted = Pattern.compile("first instruction after which they differ: icount (\\d+), pc 0x8[0-9a-f]{7}: (lw|csrrs) ")
        .matcher(r.out());
    assertTrue(parted.find(), r.out());
    long at = Long.parseLong(parted.group(1));
    assertTrue(at >= Long.parseLong(window.group(1)) && at < Long.parseLong(window.group(2)),
        "the clock read lies in the window: " + r.out());
    // both sides, each from its own node's log: the clock value each guest read
    Matcher input = Pattern.compile("input it consumed: n1 (CLOCK_MTIME|CLOCK_RTC) (\\d+), n2 (CLOCK_MTIME|CLOCK_RTC) (\\d+)")
        .matcher(r.out());
    assertTrue(input.find(), r.out());
    assertTrue(!input.group(2).equals(input.group(4)), "the two clock values differ: " + r.out());
    assertTrue(!r.out().contains("cannot see:"), r.out());
  }
}
