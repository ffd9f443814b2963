package dev.lockstep.harness.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.ReplayLogReader;
import dev.lockstep.histories.run.RunDirectory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kv guest uses the timer and the disk while it serves (a tick every 10 ms, a journal on the
 * cluster's shared disk, the simulator's default), so a backup that takes timer interrupts one
 * instruction late is caught by the same seed that passes without the bug.
 */
class SimGuestDevicesTest {
  private static final long SEED = 1;
  private static final double SIM_SECONDS = 5;

  @TempDir Path tmp;

  private SimOutcome run(List<String> unsafe, Path root) throws Exception {
    SimSettings s = new SimSettings("kv", SEED, SIM_SECONDS, unsafe, tmp.toString());
    assertEquals("shared", s.disk(), "the default disk");
    return new SimRunner(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), true).run(s, root);
  }

  private static Map<EventKind, Long> eventsOf(Path replayLog) throws IOException {
    Map<EventKind, Long> counts = new EnumMap<>(EventKind.class);
    try (ReplayLogReader r = ReplayLogReader.open(replayLog)) {
      for (Event e = r.take(); e != null; e = r.take()) {
        counts.merge(e.kind(), 1L, Long::sum);
      }
    }
    return counts;
  }

  private static Result result(SimOutcome o, String checker) {
    return o.results().stream().filter(r -> r.checker().equals(checker)).findFirst().orElseThrow();
  }

  @Test
  void aLateTimerOnTheBackupDivergesWhereTheSameSeedWithoutItIsClean() throws Exception {
    SimOutcome clean = run(List.of(), tmp.resolve("clean"));
    SimOutcome late = run(List.of("late-timer"), tmp.resolve("late"));

    assertEquals(Verdict.TRUE, clean.verdict(), clean.results().toString());
    Map<EventKind, Long> primary = eventsOf(clean.runDirectory().resolve(RunDirectory.NODES).resolve("n1").resolve("replay.log"));
    assertTrue(primary.getOrDefault(EventKind.TIMER, 0L) >= 100, "ticks while serving: " + primary);
    assertTrue(primary.getOrDefault(EventKind.DISK_START, 0L) > 0 && primary.getOrDefault(EventKind.DISK_DONE, 0L) > 0,
        "journal writes and their completions: " + primary);

    Result divergence = result(late, "divergence");
    assertEquals(Verdict.FALSE, divergence.verdict(), late.results().toString());
    assertTrue(divergence.evidence().toString().contains("CLOCK_MTIME"),
        "the backup missed the tick handler's clock read at the primary's icount: " + divergence.evidence());
    assertEquals(Verdict.TRUE, result(late, "linearizable").verdict(), "no client sees the bug");
  }
}
