package dev.lockstep.ftvm.machine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed bare-metal RV32 executable: entry point, loadable segments and the address of the
 * {@code tohost} symbol (or -1). Every read is bounds-checked so a bad file gives an
 * {@link ElfException} naming the offending field and file offset, never a crash.
 */
public final class ElfImage {
  static final int EM_RISCV = 243;
  private static final int PT_LOAD = 1;
  private static final int SHT_SYMTAB = 2;
  private static final int EF_RISCV_RVC = 0x1;
  private static final int EF_RISCV_FLOAT_ABI = 0x6;

  /** A PT_LOAD segment: {@code fileBytes} at {@code addr}, then zeros up to {@code memBytes}. */
  public record Segment(int addr, byte[] fileBytes, int memBytes) {}

  private final int entry;
  private final List<Segment> segments;
  private final long tohost;

  private ElfImage(int entry, List<Segment> segments, long tohost) {
    this.entry = entry;
    this.segments = segments;
    this.tohost = tohost;
  }

  public int entry() {
    return entry;
  }

  public List<Segment> segments() {
    return segments;
  }

  /** Address of the tohost symbol, or -1 when the image has none. */
  public long tohost() {
    return tohost;
  }

  public static ElfImage parse(byte[] file) throws ElfException {
    if (file.length < 52) {
      throw new ElfException("not an ELF file: " + file.length + " bytes, shorter than an ELF32 header (52)");
    }
    if (file[0] != 0x7F || file[1] != 'E' || file[2] != 'L' || file[3] != 'F') {
      throw new ElfException("not an ELF file: bad magic at offset 0");
    }
    if (file[4] != 1) {
      throw new ElfException("ELF class " + (file[4] == 2 ? "64-bit" : String.valueOf(file[4]))
          + " at offset 4: the machine runs 32-bit (ELFCLASS32) RV32 images");
    }
    if (file[5] != 1) {
      throw new ElfException("ELF data encoding " + file[5] + " at offset 5: expected little-endian (1)");
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int type = b.getShort(16) & 0xFFFF;
    int machine = b.getShort(18) & 0xFFFF;
    if (machine != EM_RISCV) {
      throw new ElfException("ELF machine " + machine + " at offset 18" + machineName(machine)
          + ": expected " + EM_RISCV + " (RISC-V)");
    }
    if (type != 2) {
      throw new ElfException("ELF type " + type + " at offset 16: expected an executable (ET_EXEC = 2)");
    }
    int flags = b.getInt(36);
    if ((flags & EF_RISCV_RVC) != 0) {
      throw new ElfException("ELF flags 0x" + Integer.toHexString(flags)
          + " at offset 36: compiled with compressed instructions (RVC); the machine is RV32IM");
    }
    if ((flags & EF_RISCV_FLOAT_ABI) != 0) {
      throw new ElfException("ELF flags 0x" + Integer.toHexString(flags)
          + " at offset 36: hard-float ABI; the machine is RV32IM (use -mabi=ilp32)");
    }
    return new ElfImage(b.getInt(24), segments(b), findTohost(b));
  }

  private static String machineName(int m) {
    switch (m) {
      case 3: return " (x86)";
      case 62: return " (x86-64)";
      case 40: return " (ARM)";
      case 183: return " (AArch64)";
      default: return "";
    }
  }

  private static List<Segment> segments(ByteBuffer b) throws ElfException {
    long phoff = b.getInt(28) & 0xFFFF_FFFFL;
    int phentsize = b.getShort(42) & 0xFFFF;
    int phnum = b.getShort(44) & 0xFFFF;
    if (phnum > 0 && phentsize < 32) {
      throw new ElfException("ELF program header entry size " + phentsize + " at offset 42: expected 32");
    }
    check(b, phoff, (long) phentsize * phnum, "program header table");
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < phnum; i++) {
      int at = (int) (phoff + (long) i * phentsize);
      if (b.getInt(at) != PT_LOAD) {
        continue;
      }
      long offset = b.getInt(at + 4) & 0xFFFF_FFFFL;
      int paddr = b.getInt(at + 12);
      long filesz = b.getInt(at + 16) & 0xFFFF_FFFFL;
      long memsz = b.getInt(at + 20) & 0xFFFF_FFFFL;
      if (memsz < filesz) {
        throw new ElfException("segment " + i + " (program header at offset " + at + "): memory size " + memsz
            + " smaller than file size " + filesz);
      }
      check(b, offset, filesz, "segment " + i + " data");
      byte[] data = new byte[(int) filesz];
      b.get((int) offset, data);
      out.add(new Segment(paddr, data, (int) memsz));
    }
    return out;
  }

  private static void check(ByteBuffer b, long offset, long len, String what) throws ElfException {
    if (offset < 0 || len < 0 || offset + len > b.capacity()) {
      throw new ElfException("truncated ELF file: " + what + " at offset " + offset + " + " + len
          + " bytes runs past the end of the file (" + b.capacity() + " bytes)");
    }
  }

  private static long findTohost(ByteBuffer b) throws ElfException {
    long shoff = b.getInt(32) & 0xFFFF_FFFFL;
    int shentsize = b.getShort(46) & 0xFFFF;
    int shnum = b.getShort(48) & 0xFFFF;
    if (shnum == 0) {
      return -1;
    }
    if (shentsize < 40) {
      throw new ElfException("ELF section header entry size " + shentsize + " at offset 46: expected 40");
    }
    check(b, shoff, (long) shentsize * shnum, "section header table");
    for (int i = 0; i < shnum; i++) {
      int sh = (int) (shoff + (long) i * shentsize);
      if (b.getInt(sh + 4) != SHT_SYMTAB) {
        continue;
      }
      int link = b.getInt(sh + 24);
      if (link < 0 || link >= shnum) {
        throw new ElfException("symbol table section " + i + " links to string table " + link + " of " + shnum);
      }
      int str = (int) (shoff + (long) link * shentsize);
      long strOff = b.getInt(str + 16) & 0xFFFF_FFFFL;
      long strSize = b.getInt(str + 20) & 0xFFFF_FFFFL;
      check(b, strOff, strSize, "string table");
      long symOff = b.getInt(sh + 16) & 0xFFFF_FFFFL;
      long symSize = b.getInt(sh + 20) & 0xFFFF_FFFFL;
      check(b, symOff, symSize, "symbol table");
      for (long s = symOff; s + 16 <= symOff + symSize; s += 16) {
        long name = b.getInt((int) s) & 0xFFFF_FFFFL;
        if (name < strSize && "tohost".equals(cString(b, (int) (strOff + name), (int) (strOff + strSize)))) {
          return b.getInt((int) s + 4) & 0xFFFF_FFFFL;
        }
      }
    }
    return -1;
  }

  private static String cString(ByteBuffer b, int from, int end) {
    int i = from;
    while (i < end && b.get(i) != 0) {
      i++;
    }
    byte[] s = new byte[i - from];
    b.get(from, s);
    return new String(s, StandardCharsets.ISO_8859_1);
  }
}
