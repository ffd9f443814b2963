package dev.lockstep.ftvm.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The ELF loader accepts RV32 executables and names what is wrong with anything else. */
class ElfImageTest {
  private static final byte[] GOOD = GuestBuilder.asmTest("nop");

  private static String error(byte[] elf) {
    return assertThrows(ElfException.class, () -> Machine.boot(elf, MachineConfig.defaults(), new TestPort())).getMessage();
  }

  @Test
  void findsEntryAndTohost() throws ElfException {
    ElfImage img = ElfImage.parse(GOOD);
    assertEquals(0x8000_0000, img.entry());
    assertTrue(img.tohost() > 0x8000_0000L, "tohost " + Long.toHexString(img.tohost()));
  }

  @Test
  void rejectsSixtyFourBitClass() {
    byte[] elf = GOOD.clone();
    elf[4] = 2;
    String m = error(elf);
    assertTrue(m.contains("64-bit") && m.contains("offset 4"), m);
  }

  @Test
  void rejectsOtherMachines() {
    byte[] elf = GOOD.clone();
    elf[18] = 62;
    elf[19] = 0;
    String m = error(elf);
    assertTrue(m.contains("ELF machine 62") && m.contains("x86-64") && m.contains("RISC-V"), m);
  }

  @Test
  void rejectsBigEndianBadMagicAndShortFiles() {
    byte[] be = GOOD.clone();
    be[5] = 2;
    assertTrue(error(be).contains("little-endian"));
    byte[] magic = GOOD.clone();
    magic[1] = 'X';
    assertTrue(error(magic).contains("bad magic"));
    assertTrue(error(new byte[10]).contains("shorter than an ELF32 header"));
  }

  @Test
  void rejectsTruncatedSegments() {
    byte[] cut = Arrays.copyOf(GOOD, 0x1002);
    String m = error(cut);
    assertTrue(m.contains("truncated") && m.contains("offset"), m);
  }

  @Test
  void rejectsCompressedInstructions() {
    byte[] elf = GOOD.clone();
    elf[36] |= 1;
    assertTrue(error(elf).contains("RVC"));
  }

  @Test
  void rejectsSegmentsOutsideRam() {
    byte[] elf = GuestBuilder.asm("""
        .section .text.init
        .globl _start
        _start: nop
        .section .far, "aw"
        .space 16
        """);
    // the default 16 MiB is enough; a 64 KiB machine cannot hold the 64 KiB stack past the code
    String m = assertThrows(ElfException.class,
        () -> Machine.boot(elf, MachineConfig.builder().ramBytes(64 << 10).build(), new TestPort())).getMessage();
    assertTrue(m.contains("outside RAM"), m);
  }
}
