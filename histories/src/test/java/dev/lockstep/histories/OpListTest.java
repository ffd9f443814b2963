package dev.lockstep.histories;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpListTest {
  private static List<Op> ops(int n) {
    List<Op> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Op.invoke((long) (i % 7), "write", (long) i).withIndex(i));
    }
    return out;
  }

  @Test
  void holdsOpsInOrderAcrossChunkBoundaries() {
    for (int n : new int[] {0, 1, OpList.CHUNK_OPS - 1, OpList.CHUNK_OPS, OpList.CHUNK_OPS + 1, 2 * OpList.CHUNK_OPS + 5}) {
      List<Op> expected = ops(n);
      OpList list = OpList.copyOf(expected);
      assertEquals(n, list.size());
      assertEquals(expected, list);
      assertEquals(expected.hashCode(), list.hashCode());
      if (n > 0) {
        assertSame(expected.get(n - 1), list.get(n - 1));
      }
      assertThrows(IndexOutOfBoundsException.class, () -> list.get(n));
      assertThrows(IndexOutOfBoundsException.class, () -> list.get(-1));
    }
  }

  @Test
  void concatenatesPartsInOrder() {
    List<Op> all = ops(OpList.CHUNK_OPS + 10);
    List<List<Op>> parts = Arrays.asList(all.subList(0, 3), List.of(), all.subList(3, OpList.CHUNK_OPS + 10));
    assertEquals(all, OpList.concat(parts));
  }

  @Test
  void isImmutableRejectsNullAndIsNotCopiedAgain() {
    OpList list = OpList.copyOf(ops(3));
    assertSame(list, OpList.copyOf(list));
    assertThrows(UnsupportedOperationException.class, () -> list.add(Op.ok(1L, "read", null)));
    assertThrows(UnsupportedOperationException.class, () -> list.set(0, Op.ok(1L, "read", null)));
    assertThrows(NullPointerException.class, () -> OpList.copyOf(Arrays.asList(Op.ok(1L, "read", null), null)));
    assertTrue(list instanceof java.util.RandomAccess);
  }
}
