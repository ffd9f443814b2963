package dev.lockstep.histories.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts an input into blocks of whole lines, each in an array of its own so blocks can be parsed
 * on several threads. A block ends after its last line break ({@code \n}, or a {@code \r} seen not
 * to start {@code \r\n}) or at the end of the input; a line longer than a block makes the block
 * grow, up to {@link #LINE_BYTES_MAX}.
 */
final class LineBlocks {
  /** The longest line accepted: a block must hold at least one whole line. */
  static final int LINE_BYTES_MAX = 1 << 26;
  /** Arrays kept for reuse: enough for one round of parallel parsing. */
  private static final int SPARE_MAX = JsonlReader.BLOCKS_PER_ROUND;

  /** Bytes {@code [0, length)} of {@code bytes}; {@code overlong} when a line exceeded the bound. */
  record Block(byte[] bytes, int length, boolean overlong) {}

  private final InputStream in;
  private final int blockBytes;
  private byte[] carry = new byte[0];
  private int carryLength;
  private boolean eof;
  /** Arrays of blocks already parsed, to fill again: a whole history need not pass through new ones. */
  private final java.util.ArrayDeque<byte[]> spare = new java.util.ArrayDeque<>();

  LineBlocks(InputStream in, int blockBytes) {
    this.in = in;
    this.blockBytes = blockBytes;
  }

  /** The next block, or null at the end of the input. */
  Block next() throws IOException {
    byte[] buf = spare.isEmpty() ? null : spare.pop();
    buf = buf != null && buf.length >= carryLength ? buf : new byte[Math.max(blockBytes, carryLength)];
    System.arraycopy(carry, 0, buf, 0, carryLength);
    int filled = carryLength;
    int searched = Math.max(0, carryLength - 1);
    while (true) {
      if (!eof) {
        filled += in.readNBytes(buf, filled, buf.length - filled);
        eof = filled < buf.length;
      }
      int end = lastBreak(buf, searched, filled) + 1;
      if (eof || end > 0) {
        int length = eof ? filled : end;
        carryLength = filled - length;
        carry = carryLength == 0 ? carry : Arrays.copyOfRange(buf, length, filled);
        return length == 0 ? null : new Block(buf, length, false);
      }
      if (buf.length >= LINE_BYTES_MAX) {
        return new Block(buf, 0, true);
      }
      searched = filled;
      buf = Arrays.copyOf(buf, Math.min(LINE_BYTES_MAX, buf.length * 2));
    }
  }

  /** Takes back the array of a block that is parsed and no longer read. */
  void recycle(Block block) {
    if (!block.overlong() && spare.size() < SPARE_MAX) {
      spare.push(block.bytes());
    }
  }

  /** The index of the last line break in {@code b[from, to)}, or -1. */
  private static int lastBreak(byte[] b, int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      // TRICKY: a \r at the very end may be the first half of \r\n, so it cannot end a block yet.
      if (b[i] == '\n' || (b[i] == '\r' && i + 1 < to)) {
        return i;
      }
    }
    return -1;
  }
}
