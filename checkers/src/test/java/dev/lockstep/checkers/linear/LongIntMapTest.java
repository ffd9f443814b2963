package dev.lockstep.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongIntMapTest {

  @Test
  void agreesWithAHashMapThroughGrowth() {
    SplittableRandom random = new SplittableRandom(7);
    LongIntMap map = new LongIntMap();
    Map<Long, Integer> expected = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      // Few distinct keys at first, so overwrites happen; negative keys and -1 values too.
      long key = random.nextInt(4) == 0 ? -random.nextLong(1000) : random.nextLong(1L << 40);
      int value = random.nextInt(-2, 1000);
      map.put(key, value);
      expected.put(key, value);
    }
    assertEquals(expected.size(), map.size());
    expected.forEach((k, v) -> assertEquals(v, map.get(k), "key " + k));
    assertEquals(LongIntMap.ABSENT, map.get(1L << 50));
    assertThrows(IllegalArgumentException.class, () -> map.put(Long.MIN_VALUE, 1));
  }
}
