package dev.lockstep.harness.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.harness.generator.Context;
import dev.lockstep.harness.generator.Scheduled;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkloadsTest {

  @Test
  void everyWorkloadNamesItsGuestModelAndOps() {
    for (String name : Workloads.NAMES) {
      Workload w = Workloads.named(name, WorkloadOptions.DEFAULTS, (t, id) -> null);
      assertEquals(Workloads.guest(name), w.guest());
      assertEquals(Workloads.model(name), w.model());
      assertTrue(w.checkers().contains(Workloads.LINEARIZABLE));
      Set<String> fs = new HashSet<>();
      SplittableRandom random = new SplittableRandom(1);
      for (int i = 0; i < 200; i++) {
        Scheduled s = w.generator().next(new Context(0, 0, 0, i), random).orElseThrow();
        fs.add(s.invocation().f());
        assertEquals(name.equals("kv") || name.equals("append"), s.invocation().key() != null, name + " keys");
      }
      Set<String> expected = switch (name) {
        case "register" -> Set.of("read", "write");
        case "append" -> Set.of("read", "append");
        default -> Set.of("read", "write", "cas");
      };
      assertEquals(expected, fs, name);
    }
    assertThrows(IllegalArgumentException.class, () -> Workloads.guest("bank"));
  }
}
