package dev.lockstep.ftvm.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tracer sees each retired instruction of its window once, in order, and changes nothing. */
class TraceTest {
  private static final long LIMIT = 2_000_000;

  private static byte[] chaos() throws IOException {
    try (InputStream in = TraceTest.class.getResourceAsStream("/guests/chaos.elf")) {
      assertTrue(in != null, "guests/chaos.elf is not on the classpath (ftvm/guests/build.sh)");
      return in.readAllBytes();
    }
  }

  private static void runTo(Machine m, long icount) {
    while (m.icount() < icount && !m.halted()) {
      m.run(icount);
    }
  }

  @Test
  void tracedRunEndsInTheSameStateAndSeesEveryInstructionOnce() throws IOException {
    Machine plain = MachineTestSupport.boot(chaos(), new TestPort());
    runTo(plain, LIMIT);
    Machine traced = MachineTestSupport.boot(chaos(), new TestPort());
    List<long[]> seen = new ArrayList<>();
    long from = LIMIT / 2;
    traced.trace(from, from + 5000, (icount, pc, insn) -> {
      assertEquals(icount + 1, traced.icount(), "tracer called after retirement");
      seen.add(new long[] {icount, pc & 0xFFFF_FFFFL, insn});
    });
    runTo(traced, LIMIT);
    assertEquals(plain.icount(), traced.icount());
    assertEquals(plain.stateHash(), traced.stateHash(), "tracing changed the execution");
    assertEquals(5000, seen.size());
    for (int i = 0; i < seen.size(); i++) {
      assertEquals(from + i, seen.get(i)[0]);
      assertEquals((int) seen.get(i)[2], traced.readWord((int) seen.get(i)[1]), "traced word is the word at pc");
    }
  }

  @Test
  void readMemoryRefusesAddressesOutsideRam() throws IOException {
    Machine m = MachineTestSupport.boot(chaos(), new TestPort());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.readMemory(0x1000, 4));
    assertTrue(e.getMessage().contains("0x00001000"), e.getMessage());
  }
}
