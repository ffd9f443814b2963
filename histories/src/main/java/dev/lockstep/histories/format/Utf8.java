package dev.lockstep.histories.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation of bytes, as a reporting {@link java.nio.charset.CharsetDecoder} would
 * judge them: shortest forms only, no surrogates, nothing past U+10FFFF.
 */
final class Utf8 {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

  private Utf8() {}

  /** The index of the first byte in {@code [from, to)} that is not well-formed UTF-8, or -1. */
  static int firstInvalid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      // TRICKY: histories are nearly all ASCII, so eight bytes are tested at once.
      if (i + Long.BYTES <= to && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
        i += Long.BYTES;
      } else if (b[i] >= 0) {
        i++;
      } else {
        int n = sequenceLength(b, i, to);
        if (n < 0) {
          return i;
        }
        i += n;
      }
    }
    return -1;
  }

  /** The length of the multi-byte sequence at {@code i}, or -1 when it is malformed. */
  private static int sequenceLength(byte[] b, int i, int to) {
    int lead = b[i] & 0xff;
    int n;
    int secondMin = 0x80;
    int secondMax = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      n = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      n = 3;
      secondMin = lead == 0xe0 ? 0xa0 : secondMin; // overlong
      secondMax = lead == 0xed ? 0x9f : secondMax; // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      n = 4;
      secondMin = lead == 0xf0 ? 0x90 : secondMin; // overlong
      secondMax = lead == 0xf4 ? 0x8f : secondMax; // past U+10FFFF
    } else {
      return -1;
    }
    if (i + n > to) {
      return -1;
    }
    int second = b[i + 1] & 0xff;
    if (second < secondMin || second > secondMax) {
      return -1;
    }
    for (int k = 2; k < n; k++) {
      if ((b[i + k] & 0xc0) != 0x80) {
        return -1;
      }
    }
    return n;
  }
}
