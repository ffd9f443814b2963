package dev.lockstep.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep diverge} on simulated runs: a backup-own-clock run names the clock read where the
 * backup parted (exit 1); a run without the bug says the nodes never diverged (exit 0); bad
 * arguments give one line and 254.
 */
class DivergeCommandTest {
  @TempDir Path tmp;

  private static CliRun lockstep(String... args) {
    return CliRun.of(args);
  }

  private Path sim(String... extra) throws IOException {
    Path store = tmp.resolve("store");
    List<String> args = new java.util.ArrayList<>(List.of("sim", "--seed", "3", "--time-limit", "10", "--store", store.toString()));
    args.addAll(List.of(extra));
    lockstep(args.toArray(String[]::new));
    try (Stream<Path> s = Files.walk(store)) {
      List<Path> runs = s.filter(p -> !Files.isSymbolicLink(p) && p.getFileName().toString().matches("\\d{8}T[0-9.]+")
          && Files.isRegularFile(p.resolve("test.json"))).toList();
      assertEquals(1, runs.size(), "one run directory in " + store);
      return runs.get(0);
    }
  }

  @Test
  void namesTheClockReadWhereABackupOwnClockBackupParted() throws IOException {
    Path run = sim("--unsafe", "backup-own-clock");
    CliRun r = lockstep("diverge", run.toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("diverge: n1 (primary) and n2 (backup), epoch 1"), r.out());
    long[] found = assertPartedAtAClockReadOnBothSides(r.out());
    long at = found[0];
    assertTrue(r.out().contains("n2 reported at icount " + found[1]), r.out());
    assertTrue(r.out().matches("(?s).*\\s" + at + " 0x8[0-9a-f]{7}: [0-9a-f]{8}  (lw|csrrs) [^\n]*<- parted here\n.*"),
        "the trace around it marks the clock read: " + r.out());

    CliRun later = lockstep("diverge", run.toString(), "--epoch", "2", "--nodes", "n1,n2");
    assertEquals(1, later.exit(), later.out() + later.err());
    assertTrue(later.out().contains("epoch 2"), later.out());
  }

  @Test
  void nodesThatNeverDivergedExitZero() throws IOException {
    Path run = sim();
    CliRun r = lockstep("diverge", run.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().matches("(?s).*never diverged: \\d+ state hashes logged at the same icounts agree.*"), r.out());
    CliRun debug = lockstep("debug", run.toString(), "--node", "n9", "--port", "0");
    assertEquals(254, debug.exit());
    assertTrue(debug.err().startsWith("lockstep debug: n9 has no replay-log segment replay.log"), debug.err());
    assertEquals(1, debug.err().lines().count(), debug.err());
  }

  @Test
  void badArgumentsGiveOneLineAnd254() throws IOException {
    Path missing = tmp.resolve("nothing");
    CliRun r = lockstep("diverge", missing.toString());
    assertEquals(254, r.exit());
    assertTrue(r.err().startsWith("lockstep diverge: " + missing + ": not a run directory"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    r = lockstep("diverge", missing.toString(), "--nodes", "n1");
    assertEquals(254, r.exit());
    assertTrue(r.err().contains("--nodes n1: expected two different node ids"), r.err());
  }

  /**
   * Asserts that {@code out} names a clock read inside the window as the first instruction after which
   * n1 and n2 differ, with each side's value and the register it loaded; returns that icount and the
   * window's end.
   */
  static long[] assertPartedAtAClockReadOnBothSides(String out) {
    Matcher window = Pattern.compile("agree at icount (\\d+) and differ at icount (\\d+)").matcher(out);
    assertTrue(window.find(), out);
    Matcher parted = Pattern.compile("first instruction after which they differ: icount (\\d+), pc 0x8[0-9a-f]{7}: (lw|csrrs) ")
        .matcher(out);
    assertTrue(parted.find(), out);
    long at = Long.parseLong(parted.group(1));
    assertTrue(at >= Long.parseLong(window.group(1)) && at < Long.parseLong(window.group(2)),
        "the clock read lies in the window: " + out);
    // both sides: each node's log holds the clock value its own guest read, and they differ
    Matcher input = Pattern.compile("input it consumed: n1 (CLOCK_MTIME|CLOCK_RTC) (\\d+), n2 (CLOCK_MTIME|CLOCK_RTC) (\\d+)")
        .matcher(out);
    assertTrue(input.find(), out);
    assertTrue(!input.group(2).equals(input.group(4)), "the two clock values differ: " + out);
    // the register the read wrote holds each side's value
    assertTrue(out.matches("(?s).*registers after it \\(n1, n2\\):\n    [a-z0-9]+ 0x[0-9a-f]{8} 0x[0-9a-f]{8}\n.*"),
        "the loaded register differs: " + out);
    assertTrue(!out.contains("cannot see:"), out);
    return new long[] {at, Long.parseLong(window.group(2))};
  }
}
