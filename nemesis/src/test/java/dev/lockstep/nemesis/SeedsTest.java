package dev.lockstep.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {
  @Test
  void childSeedsAreStableAndDistinct() {
    assertEquals(Seeds.derive(1, 2, 3), Seeds.derive(1, 2, 3));
    assertNotEquals(Seeds.derive(1, 2, 3), Seeds.derive(1, 3, 2));
    assertNotEquals(Seeds.derive(1), Seeds.derive(2));
    Set<Long> seen = new HashSet<>();
    for (long conn = 0; conn < 1_000; conn++) {
      for (long dir = 0; dir < 2; dir++) {
        seen.add(Seeds.derive(42, conn, dir));
      }
    }
    assertEquals(2_000, seen.size());
  }
}
