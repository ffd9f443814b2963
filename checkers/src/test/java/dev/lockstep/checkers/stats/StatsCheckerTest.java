package dev.lockstep.checkers.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsCheckerTest {
  private static final long MS = 1_000_000;

  private static Op op(int i, Op.Type type, long process, String f, long timeMs) {
    return new Op(i, type, f, null, process, timeMs * MS, null, null, null);
  }

  @Test
  void countsLatenciesAndTheLongestUnavailableWindow() {
    List<Op> h = List.of(
        op(0, Op.Type.INVOKE, 0, "read", 0), op(1, Op.Type.OK, 0, "read", 10),
        op(2, Op.Type.INVOKE, 0, "write", 20), op(3, Op.Type.INFO, 0, "write", 520),
        op(4, Op.Type.INVOKE, 1, "write", 530), op(5, Op.Type.OK, 1, "write", 1530),
        op(6, Op.Type.INVOKE, 1, "read", 1540), op(7, Op.Type.FAIL, 1, "read", 1550));
    Result r = new StatsChecker().check(CheckInput.ofHistory(h));
    assertEquals(Verdict.TRUE, r.verdict());
    Map<?, ?> counts = (Map<?, ?>) r.evidence().get("counts");
    assertEquals(Map.of("ok", 1L, "fail", 1L, "info", 0L), counts.get("read"));
    assertEquals(Map.of("ok", 1L, "fail", 0L, "info", 1L), counts.get("write"));
    Map<?, ?> writeLatency = (Map<?, ?>) ((Map<?, ?>) r.evidence().get("latency-ms")).get("write");
    assertEquals(1000.0, writeLatency.get("1.0"));
    Map<?, ?> longest = (Map<?, ?>) ((List<?>) r.evidence().get("longest-unavailable")).get(0);
    assertEquals(1520.0, longest.get("ms"));
  }

  @Test
  void anFWithNoOkIsInvalid() {
    List<Op> h = List.of(op(0, Op.Type.INVOKE, 0, "read", 0), op(1, Op.Type.FAIL, 0, "read", 10));
    assertEquals(Verdict.FALSE, new StatsChecker().check(CheckInput.ofHistory(h)).verdict());
  }

  @Test
  void emptyHistoryIsUnknown() {
    assertEquals(Verdict.UNKNOWN, new StatsChecker().check(CheckInput.ofHistory(List.of())).verdict());
  }
}
