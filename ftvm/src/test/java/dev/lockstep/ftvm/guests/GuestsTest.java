package dev.lockstep.ftvm.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GuestsTest {
  private static final int EM_RISCV = 243;

  @Test
  void everyGuestIsAnRv32ImageEnteredAtRamStartWithTohost() {
    for (String name : Guests.NAMES) {
      byte[] elf = Guests.load(name);
      ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(0x464C457F, b.getInt(0), name + ": ELF magic");
      assertEquals(1, elf[4], name + ": ELFCLASS32");
      assertEquals(EM_RISCV, b.getShort(18), name + ": e_machine");
      assertEquals(0x8000_0000L, b.getInt(24) & 0xFFFF_FFFFL, name + ": entry");
      long tohost = Guests.symbolAddress(elf, "tohost").orElseThrow();
      assertTrue(tohost >= 0x8000_0000L && tohost % 8 == 0, name + ": tohost at " + Long.toHexString(tohost));
      assertTrue(Guests.symbolAddress(elf, "fromhost").isPresent(), name + ": fromhost");
    }
  }

  @Test
  void unknownNamesListTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Guests.load("kv2"));
    assertEquals("unknown guest 'kv2'; known guests: kv, append, chaos, cpubench", e.getMessage());
  }

  @Test
  void withParameterPatchesOnlyThatWord() {
    byte[] elf = Guests.load("cpubench");
    byte[] patched = Guests.withParameter(elf, Guests.CPUBENCH_ITERATIONS, 3);
    int differing = 0;
    int at = -1;
    for (int i = 0; i < elf.length; i++) {
      if (elf[i] != patched[i]) {
        differing++;
        at = i;
      }
    }
    assertTrue(differing >= 1 && differing <= 4, "bytes changed: " + differing);
    assertEquals(3, patched[at - (at % 4)] & 0xFF, "the word is little-endian 3");
    assertNotEquals(Arrays.hashCode(elf), Arrays.hashCode(patched));
    assertEquals(Arrays.hashCode(elf), Arrays.hashCode(Guests.load("cpubench")), "load returns a fresh copy");
  }

  @Test
  void withParameterRejectsMissingSymbolsAndNonElf() {
    byte[] elf = Guests.load("kv");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Guests.withParameter(elf, "no_such_param", 1));
    assertEquals("guest image has no symbol 'no_such_param'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Guests.withParameter(elf, "tohost", 1),
        "tohost is 8 bytes, not a parameter word");
    e = assertThrows(IllegalArgumentException.class, () -> Guests.withParameter(new byte[10], "x", 1));
    assertEquals("not a little-endian ELF32 image", e.getMessage());
    byte[] truncated = Arrays.copyOf(elf, 200);
    e = assertThrows(IllegalArgumentException.class, () -> Guests.symbolAddress(truncated, "tohost"));
    assertTrue(e.getMessage().startsWith("truncated ELF image"), e.getMessage());
  }
}
