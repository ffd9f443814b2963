package dev.lockstep.ftvm.guests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The guest images the build puts on the classpath as {@code /guests/NAME.elf} (sources and protocol:
 * {@code ftvm/guests}, {@code ftvm/DEVICES.md}). {@link #load} returns a fresh copy each call, so a caller
 * may patch it with {@link #withParameter} before booting it.
 */
public final class Guests {
  /** Every bundled guest, in a stable order. */
  public static final List<String> NAMES = List.of("kv", "append", "chaos", "cpubench");
  /** Parameter word of {@code chaos}: iterations of its main loop (default 2000). */
  public static final String CHAOS_ITERATIONS = "chaos_iterations";
  /** Parameter word of {@code cpubench}: passes over its buffer, about 127,000 instructions each. */
  public static final String CPUBENCH_ITERATIONS = "cpubench_iterations";

  private static final int ELF_HEADER_BYTES = 52;
  private static final int SECTION_HEADER_BYTES = 40;
  private static final int SYMBOL_BYTES = 16;
  private static final int SHT_SYMTAB = 2;
  private static final int SHT_NOBITS = 8;

  private Guests() {
  }

  /**
   * Returns the image of the named guest.
   *
   * @throws IllegalArgumentException for a name not in {@link #NAMES}
   * @throws IllegalStateException when the image is missing from the classpath (the build did not run)
   */
  public static byte[] load(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown guest '" + name + "'; known guests: " + String.join(", ", NAMES));
    }
    String resource = "/guests/" + name + ".elf";
    try (InputStream in = Guests.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("guest image " + resource + " is not on the classpath; build ftvm"
            + " (ftvm/guests/build.sh needs clang and lld: run scripts/setup.sh)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read guest image " + resource, e);
    }
  }

  /**
   * Returns a copy of {@code elf} whose 32-bit word at symbol {@code symbol} holds {@code value}: how a
   * host sets a guest's parameter word (declared with {@code RT_PARAM} in the guest's source).
   *
   * @throws IllegalArgumentException when the image is not a little-endian ELF32 or has no such
   *     initialised 4-byte symbol
   */
  public static byte[] withParameter(byte[] elf, String symbol, int value) {
    byte[] copy = elf.clone();
    Symbol s = findSymbol(copy, symbol)
        .orElseThrow(() -> new IllegalArgumentException("guest image has no symbol '" + symbol + "'"));
    if (s.size != Integer.BYTES || s.fileOffset < 0) {
      throw new IllegalArgumentException("symbol '" + symbol + "' is not an initialised 32-bit word");
    }
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(s.fileOffset, value);
    return copy;
  }

  /**
   * The address of {@code symbol} in the image, empty when absent.
   *
   * @throws IllegalArgumentException when the image is not a little-endian ELF32
   */
  public static OptionalLong symbolAddress(byte[] elf, String symbol) {
    return findSymbol(elf, symbol).map(s -> OptionalLong.of(s.address)).orElse(OptionalLong.empty());
  }

  /** fileOffset is -1 for a symbol with no bytes in the file (bss, absolute). */
  private record Symbol(long address, int size, int fileOffset) {
  }

  private static Optional<Symbol> findSymbol(byte[] elf, String name) {
    ByteBuffer b = header(elf);
    int shoff = b.getInt(32);
    int shnum = b.getShort(48) & 0xFFFF;
    for (int i = 0; i < shnum; i++) {
      int sh = section(b, shoff, i);
      if (b.getInt(sh + 4) == SHT_SYMTAB) {
        int strtab = section(b, shoff, b.getInt(sh + 24));
        Optional<Symbol> found = scanSymbols(b, sh, strtab, shoff, name);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Symbol> scanSymbols(ByteBuffer b, int symtab, int strtab, int shoff, String name) {
    int offset = b.getInt(symtab + 16);
    int count = b.getInt(symtab + 20) / SYMBOL_BYTES;
    int strOffset = b.getInt(strtab + 16);
    byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < count; i++) {
      int sym = checked(b, offset + i * SYMBOL_BYTES, SYMBOL_BYTES);
      if (nameEquals(b, strOffset + b.getInt(sym), wanted)) {
        long address = b.getInt(sym + 4) & 0xFFFF_FFFFL;
        int size = b.getInt(sym + 8);
        int shndx = b.getShort(sym + 14) & 0xFFFF;
        return Optional.of(new Symbol(address, size, fileOffset(b, shoff, shndx, address)));
      }
    }
    return Optional.empty();
  }

  private static int fileOffset(ByteBuffer b, int shoff, int shndx, long address) {
    int shnum = b.getShort(48) & 0xFFFF;
    if (shndx == 0 || shndx >= shnum) {
      return -1;
    }
    int sh = section(b, shoff, shndx);
    if (b.getInt(sh + 4) == SHT_NOBITS) {
      return -1;
    }
    long delta = address - (b.getInt(sh + 12) & 0xFFFF_FFFFL);
    return checked(b, (int) (b.getInt(sh + 16) + delta), Integer.BYTES);
  }

  private static boolean nameEquals(ByteBuffer b, int at, byte[] wanted) {
    checked(b, at, wanted.length + 1);
    for (int i = 0; i < wanted.length; i++) {
      if (b.get(at + i) != wanted[i]) {
        return false;
      }
    }
    return b.get(at + wanted.length) == 0;
  }

  private static ByteBuffer header(byte[] elf) {
    boolean elf32le = elf.length >= ELF_HEADER_BYTES && elf[0] == 0x7F && elf[1] == 'E' && elf[2] == 'L'
        && elf[3] == 'F' && elf[4] == 1 && elf[5] == 1;
    if (!elf32le) {
      throw new IllegalArgumentException("not a little-endian ELF32 image");
    }
    return ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static int section(ByteBuffer b, int shoff, int index) {
    return checked(b, shoff + index * SECTION_HEADER_BYTES, SECTION_HEADER_BYTES);
  }

  private static int checked(ByteBuffer b, int at, int length) {
    if (at < 0 || length < 0 || at > b.limit() - length) {
      throw new IllegalArgumentException("truncated ELF image: " + length + " bytes at offset " + at
          + " are past its end (" + b.limit() + " bytes)");
    }
    return at;
  }
}
