package dev.lockstep.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.histories.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpansTest {

  private static Op at(Op op, long index, long time) {
    return op.withIndex(index).withTime(time);
  }

  @Test
  void opsPairInvocationsWithCompletionsAndFaultsPairStartsWithStops() {
    List<Op> history = List.of(
        at(Op.invoke(0L, "write", 1L), 0, 10),
        at(Op.info(Op.NEMESIS, "start-partition", Map.of("target", "primary")), 1, 20),
        at(Op.info(Op.NEMESIS, "start-partition", Map.of("target", "primary", "nodes", List.of("n1"))), 2, 21),
        at(Op.ok(0L, "write", 1L), 3, 30),
        at(Op.invoke(1L, "read", null), 4, 35),
        at(Op.info(Op.NEMESIS, "stop-partition", Map.of("target", "primary")), 5, 40),
        at(Op.info(Op.NEMESIS, "start-kill", Map.of("target", "backup")), 6, 50),
        at(Op.info(Op.NEMESIS, "stop-all", "heal"), 7, 60));
    List<OpSpan> ops = Spans.ops(history);
    assertEquals(2, ops.size());
    assertEquals(new OpSpan(0, "write", "ok", 10, 30, "1"), ops.get(0));
    assertTrue(ops.get(1).pending());
    List<FaultInterval> faults = Spans.faults(history, Spans.end(history));
    assertEquals(2, faults.size());
    assertEquals(20, faults.get(0).startNanos());
    assertEquals(40, faults.get(0).endNanos());
    assertTrue(faults.get(0).name().startsWith("partition"));
    assertEquals(50, faults.get(1).startNanos());
    assertEquals(60, faults.get(1).endNanos());
  }
}
