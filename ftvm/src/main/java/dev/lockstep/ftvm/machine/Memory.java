package dev.lockstep.ftvm.machine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Guest RAM at {@link #BASE} as little-endian words, with the pre-decoded instruction cache
 * ({@link #code}, one entry per word, 0 = not decoded) and dirty-page flags for the state hash.
 *
 * <p>Every write to RAM must go through this class or repeat its two side effects: clear the word's
 * decoded entry when its page holds code (so stores into code are seen) and mark the page dirty (so
 * the hash sees them).
 */
final class Memory {
  static final int BASE = 0x8000_0000;
  static final int PAGE_SHIFT = 12;
  static final int PAGE_BYTES = 1 << PAGE_SHIFT;
  private static final int PAGE_WORDS = PAGE_BYTES / 4;

  final int bytes;
  final int words;
  final int[] mem;
  final long[] code;
  final byte[] dirty;
  /** Pages holding at least one decoded instruction: stores elsewhere need not touch {@link #code}. */
  final byte[] codePages;
  private final long[] pageHash;
  private long memHash;

  Memory(int bytes) {
    this.bytes = bytes;
    this.words = bytes >>> 2;
    this.mem = new int[words];
    this.code = new long[words];
    int pages = bytes >>> PAGE_SHIFT;
    this.dirty = new byte[pages];
    this.codePages = new byte[pages];
    this.pageHash = new long[pages];
    for (int p = 0; p < pages; p++) {
      pageHash[p] = hashPage(p);
      memHash += mixPage(p, pageHash[p]);
    }
  }

  /** Offset into RAM of a guest address, or -1 when {@code [addr, addr+len)} is not all RAM. */
  int offset(int addr, int len) {
    long off = (addr & 0xFFFF_FFFFL) - (BASE & 0xFFFF_FFFFL);
    return off >= 0 && off + len <= bytes ? (int) off : -1;
  }

  int loadByteUnsigned(int off) {
    return (mem[off >>> 2] >>> ((off & 3) << 3)) & 0xFF;
  }

  void storeByte(int off, int value) {
    int w = off >>> 2;
    int sh = (off & 3) << 3;
    mem[w] = (mem[w] & ~(0xFF << sh)) | ((value & 0xFF) << sh);
    touched(w);
  }

  void storeHalf(int off, int value) {
    int w = off >>> 2;
    int sh = (off & 2) << 3;
    mem[w] = (mem[w] & ~(0xFFFF << sh)) | ((value & 0xFFFF) << sh);
    touched(w);
  }

  void storeWord(int off, int value) {
    int w = off >>> 2;
    mem[w] = value;
    touched(w);
  }

  private void touched(int w) {
    if (codePages[w >>> (PAGE_SHIFT - 2)] != 0) {
      code[w] = 0;
    }
    dirty[w >>> (PAGE_SHIFT - 2)] = 1;
  }

  /** Copies guest bytes out (DMA from the guest); the range must be RAM. */
  byte[] read(int off, int len) {
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      out[i] = (byte) loadByteUnsigned(off + i);
    }
    return out;
  }

  /** Copies bytes into guest RAM (DMA to the guest); the range must be RAM. */
  void write(int off, byte[] src, int srcOff, int len) {
    for (int i = 0; i < len; i++) {
      storeByte(off + i, src[srcOff + i]);
    }
  }

  /** Hash of all of RAM; costs O(pages written since the last call). */
  long hash() {
    for (int p = 0; p < dirty.length; p++) {
      if (dirty[p] != 0) {
        dirty[p] = 0;
        long h = hashPage(p);
        memHash += mixPage(p, h) - mixPage(p, pageHash[p]);
        pageHash[p] = h;
      }
    }
    return memHash;
  }

  private long hashPage(int p) {
    long h = 0x9E37_79B9_7F4A_7C15L;
    int from = p * PAGE_WORDS;
    for (int i = from; i < from + PAGE_WORDS; i++) {
      h = (h ^ (mem[i] & 0xFFFF_FFFFL)) * 0x100_0000_01B3L;
      h ^= h >>> 29;
    }
    return h;
  }

  private static long mixPage(int page, long h) {
    return Hashing.mix(h + 0xD6E8_FEB8_6659_FD93L * (page + 1));
  }

  /** Writes RAM as (page index, page words) for every page that is not all zero, then -1. */
  void save(DataOutput out) throws IOException {
    out.writeInt(bytes);
    for (int p = 0; p < dirty.length; p++) {
      int from = p * PAGE_WORDS;
      boolean zero = true;
      for (int i = from; i < from + PAGE_WORDS && zero; i++) {
        zero = mem[i] == 0;
      }
      if (!zero) {
        out.writeInt(p);
        for (int i = from; i < from + PAGE_WORDS; i++) {
          out.writeInt(mem[i]);
        }
      }
    }
    out.writeInt(-1);
  }

  static Memory load(DataInput in) throws IOException {
    int bytes = in.readInt();
    if (bytes < MachineConfig.RAM_BYTES_MIN || bytes > MachineConfig.RAM_BYTES_MAX || bytes % PAGE_BYTES != 0) {
      throw new IOException("snapshot: bad RAM size " + bytes);
    }
    Memory m = new Memory(bytes);
    for (int p = in.readInt(); p != -1; p = in.readInt()) {
      if (p < 0 || p >= m.dirty.length) {
        throw new IOException("snapshot: page index " + p + " outside RAM of " + m.dirty.length + " pages");
      }
      int from = p * PAGE_WORDS;
      for (int i = from; i < from + PAGE_WORDS; i++) {
        m.mem[i] = in.readInt();
      }
      m.dirty[p] = 1;
    }
    return m;
  }
}
