package dev.lockstep.harness.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeneratorsTest {

  private static List<Scheduled> drain(Generator g, long seed, int count, long nowNanos) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Scheduled> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Optional<Scheduled> s = g.next(new Context(nowNanos, i % 3, i % 3, i), random);
      s.ifPresent(out::add);
    }
    return out;
  }

  @Test
  void sameSeedGivesSameOps() {
    Generator g = Generators.mix(List.of(
        Generators.weighted(1, Generators.reads(KeyDistribution.uniform(4))),
        Generators.weighted(1, Generators.cas(KeyDistribution.zipf(4), 5)))).rate(100);
    assertEquals(drain(g, 42, 200, 0), drain(g, 42, 200, 0));
    assertTrue(!drain(g, 42, 200, 0).equals(drain(g, 43, 200, 0)));
  }

  @Test
  void mixFollowsWeights() {
    Generator g = Generators.mix(List.of(
        Generators.weighted(3, Generators.reads(null)),
        Generators.weighted(1, Generators.writes(null, 5))));
    Map<String, Integer> counts = new HashMap<>();
    for (Scheduled s : drain(g, 7, 4000, 0)) {
      counts.merge(s.invocation().f(), 1, Integer::sum);
    }
    double readShare = counts.get("read") / 4000.0;
    assertTrue(readShare > 0.70 && readShare < 0.80, "read share " + readShare);
  }

  @Test
  void rateSpacesOpsByPeriod() {
    Generator g = Generators.reads(null).rate(10);
    List<Scheduled> ops = drain(g, 1, 100, 0);
    long last = ops.get(99).notBeforeNanos();
    // op 99 near 9.9 s, within half a period of jitter
    assertTrue(Math.abs(last - 9_900_000_000L) <= 50_000_000L, "op 99 at " + last);
  }

  @Test
  void timeLimitExhausts() {
    Generator g = Generators.reads(null).timeLimit(1_000);
    assertTrue(g.next(new Context(999, 0, 0, 0), new SplittableRandom(1)).isPresent());
    assertTrue(g.next(new Context(1_000, 0, 0, 0), new SplittableRandom(1)).isEmpty());
    Generator slow = Generators.reads(null).rate(1).timeLimit(1_500_000_000L);
    assertTrue(slow.next(new Context(0, 0, 0, 5), new SplittableRandom(1)).isEmpty(), "op scheduled past the limit");
  }

  @Test
  void appendElementsAreUnique() {
    Set<Object> seen = new HashSet<>();
    for (Scheduled s : drain(Generators.appends(KeyDistribution.uniform(3)), 5, 1000, 0)) {
      assertTrue(seen.add(s.invocation().value()), "duplicate element " + s.invocation());
    }
  }

  @Test
  void zipfPrefersLowKeys() {
    KeyDistribution keys = KeyDistribution.zipf(10);
    SplittableRandom random = new SplittableRandom(3);
    int[] counts = new int[10];
    for (int i = 0; i < 10_000; i++) {
      counts[keys.draw(random)]++;
    }
    assertTrue(counts[0] > counts[9] * 5, "key 0 " + counts[0] + " key 9 " + counts[9]);
    for (int c : counts) {
      assertTrue(c > 0);
    }
  }

  @Test
  void retiredProcessesGetFreshIds() {
    ProcessTable table = new ProcessTable(3);
    assertEquals(1, table.process(1));
    assertEquals(4, table.retire(1));
    assertEquals(7, table.retire(1));
    assertEquals(1, table.threadOf(7));
    assertEquals(2, table.process(2));
  }
}
