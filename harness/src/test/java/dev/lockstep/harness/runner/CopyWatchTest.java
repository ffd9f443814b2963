package dev.lockstep.harness.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CopyWatchTest {
  private long now;
  private final Set<String> copies = new HashSet<>(Set.of("n1", "n2"));
  private final Map<String, Long> kills = new HashMap<>();
  private final RunClock clock = new RunClock() {
    @Override
    public long nanos() {
      return now;
    }

    @Override
    public void sleepUntil(long nanos) {
      now = Math.max(now, nanos);
    }
  };
  private final HistoryRecorder history = new HistoryRecorder(() -> now);

  private CopyWatch watch() {
    return new CopyWatch(List.of("n1", "n2"), copies::contains, () -> Map.copyOf(kills), history, clock);
  }

  @Test
  void noCopyLeftRightAfterAKillIsBeyondOneFailureAndRecordedOnce() {
    CopyWatch w = watch();
    w.poll();
    now = 10_000_000_000L;
    kills.put("n2", now);
    copies.remove("n2");
    w.poll();
    assertTrue(w.beyondOneFailure().isEmpty(), "n1 still holds a copy");
    now += 200_000_000L;
    copies.remove("n1"); // it lost the go-live the killed backup had just won, and halted
    w.poll();
    w.poll();
    assertEquals(Set.of("n2"), w.beyondOneFailure());
    assertEquals(1, history.snapshot().stream().filter(op -> op.toString().contains("no-copy")).count(),
        history.snapshot().toString());
  }

  @Test
  void aCopyLostWithNoKillNearbyStaysAFinding() {
    CopyWatch w = watch();
    w.poll();
    kills.put("n1", 0L);
    now = CopyWatch.KILL_WINDOW_NANOS + 1_000_000_000L;
    copies.clear(); // the only copy halted on its own, long after the kill
    w.poll();
    assertTrue(w.beyondOneFailure().isEmpty());
  }
}
