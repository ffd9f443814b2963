package dev.lockstep.ftvm.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.RunStatus;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** cpubench on the machine, its checksum checked against the same computation in Java. */
class CpubenchGuestTest {
  private static final int BUF_WORDS = 16384;
  private static final int ITERATIONS = 6;
  private static final long INSTRUCTIONS_PER_ITERATION_MIN = 120_000;
  private static final long INSTRUCTIONS_PER_ITERATION_MAX = 135_000;
  private static final Pattern LINE = Pattern.compile(
      "cpubench: iterations=(\\d+) checksum=([0-9a-f]{16}) instret=0x([0-9a-f]{16})\n");

  @Test
  void runsToExitZeroWithTheChecksumJavaComputes() throws ElfException {
    byte[] image = Guests.withParameter(Guests.load("cpubench"), Guests.CPUBENCH_ITERATIONS, ITERATIONS);
    SimHost host = new SimHost(image, 0, 3);
    assertEquals(RunStatus.HALTED, host.run(ITERATIONS * INSTRUCTIONS_PER_ITERATION_MAX + 1_000_000));
    assertEquals(0, host.machine.exitCode());
    Matcher m = LINE.matcher(host.console());
    assertTrue(m.matches(), host.console());
    assertEquals(ITERATIONS, Integer.parseInt(m.group(1)));
    assertEquals(expectedChecksum(ITERATIONS), m.group(2));
    long instret = Long.parseUnsignedLong(m.group(3), 16);
    assertTrue(instret > ITERATIONS * INSTRUCTIONS_PER_ITERATION_MIN && instret < host.machine.icount(),
        "instret " + instret + " of icount " + host.machine.icount());
  }

  /** The guest's computation (cpubench.c), with Java's int arithmetic standing in for rv32im. */
  static String expectedChecksum(int iterations) {
    int[] buf = new int[BUF_WORDS];
    int x = 0x12345678;
    for (int i = 0; i < BUF_WORDS; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      buf[i] = x;
    }
    int h = 0x811C9DC5;
    int a = 1;
    for (int it = 0; it < iterations; it++) {
      for (int i = 0; i < BUF_WORDS; i += 4) {
        int w0 = buf[i];
        int w1 = buf[i + 1];
        int w2 = buf[i + 2];
        int w3 = buf[i + 3];
        h = (h ^ w0) * 16777619;
        h = (h ^ w1) * 16777619;
        h = (h ^ w2) * 16777619;
        h = (h ^ w3) * 16777619;
        a += Integer.divideUnsigned(w0 >>> 1, (w1 & 0xFFFF) | 1);
        buf[i] = w0 * (int) 2654435761L + h;
        buf[i + 1] = w1 ^ (a << 3);
        buf[i + 2] = w2 + (w3 >>> 7);
        buf[i + 3] = w3 - a;
      }
    }
    return String.format("%08x%08x", h, a);
  }
}
