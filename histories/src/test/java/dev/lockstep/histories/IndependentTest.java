package dev.lockstep.histories;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndependentTest {
  @Test
  void splitsTuplesIntoKeyAndValue() {
    Op op = Op.ok(3L, "cas", List.of(7L, List.of(1L, 2L))).withIndex(4).withTime(9);
    Op split = Independent.split(op);
    assertEquals(7L, split.key());
    assertEquals(List.of(1L, 2L), split.value());
    assertEquals(4, split.index());
    assertEquals(op, Independent.join(split));
  }

  @Test
  void leavesNemesisAndNonTupleOpsAlone() {
    Op nemesis = Op.info(new Keyword("nemesis"), "start", List.of(1L, 2L));
    assertSame(nemesis, Independent.split(nemesis));
    Op scalar = Op.ok(1L, "read", 5L);
    assertSame(scalar, Independent.split(scalar));
    Op three = Op.ok(1L, "read", List.of(1L, 2L, 3L));
    assertSame(three, Independent.split(three));
    assertSame(scalar, Independent.join(scalar));
  }

  @Test
  void groupsByKeyInHistoryOrder() {
    List<Op> ops = List.of(
        Op.invoke(0L, "read", Arrays.asList("x", null)),
        Op.info(Op.NEMESIS, "kill", null),
        Op.invoke(1L, "write", List.of("y", 2L)),
        Op.ok(0L, "read", List.of("x", 1L)),
        Op.ok(1L, "write", List.of("y", 2L)));
    Map<Object, List<Op>> groups = Independent.byKey(ops);
    assertEquals(List.of("x", "y"), List.copyOf(groups.keySet()));
    assertEquals(2, groups.get("x").size());
    assertEquals(1L, groups.get("x").get(1).value());
    assertEquals(Independent.splitAll(ops).get(2), groups.get("y").get(0));
  }
}
