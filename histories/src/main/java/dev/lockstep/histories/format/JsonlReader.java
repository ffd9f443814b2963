package dev.lockstep.histories.format;

import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.HistoryReader;
import dev.lockstep.histories.Op;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads JSON Lines: one op object per line; blank lines are skipped. The input must be UTF-8. Each
 * line is judged on its own ({@link JsonlLine}): a truncated line is reported on that line, not
 * where the next one begins, and two values on one line are an error.
 *
 * <p>TRICKY: a Jackson parser per line is slow, so lines are read in blocks of bytes and each line
 * is first offered to an {@link OpLineScanner}, which builds the op straight from the bytes when
 * the line is of the common, simple kind. Any other line (escapes, floats, big numbers, anything
 * malformed) goes to {@link JsonlLine}, which returns the op or throws the error a line-by-line
 * reader would. Either way the result is the same; only the time differs.
 */
public final class JsonlReader implements HistoryReader {
  /** Bytes read from the input at a time. */
  static final int BLOCK_BYTES = 1 << 20;
  /** The longest line accepted: a block must hold at least one whole line. */
  static final int LINE_BYTES_MAX = 1 << 26;

  private final InputStream in;
  private final String source;
  private final OpLineScanner scanner = new OpLineScanner();
  private byte[] buf;
  /** Bytes of {@link #buf} filled from the input. */
  private int filled;
  /** {@code buf[0, blockEnd)} holds whole lines, checked to be UTF-8; the rest is a partial line. */
  private int blockEnd;
  private boolean eof;
  /** Where the next line starts, and its number. */
  private int pos;
  private int line = 1;

  /** A reader of UTF-8 bytes; {@code source} names the input in error messages. */
  public JsonlReader(InputStream in, String source) {
    this(in, source, BLOCK_BYTES);
  }

  /** A reader of text; {@code source} names it in error messages. */
  public JsonlReader(Reader in, String source) {
    this(new Utf8Bytes(in, source), source, BLOCK_BYTES);
  }

  /** A reader whose first block holds {@code blockBytes}: small in tests of block boundaries. */
  JsonlReader(InputStream in, String source, int blockBytes) {
    this.in = in;
    this.source = source;
    this.buf = new byte[blockBytes];
  }

  @Override
  public Op next() throws IOException {
    while (pos < blockEnd || loadBlock()) {
      int number = line++;
      Op op = scanner.scan(buf, pos, blockEnd);
      if (op == null) {
        op = alone(number);
      } else {
        pos = scanner.next();
      }
      if (op != null && op != OpLineScanner.BLANK) {
        return op;
      }
    }
    return null;
  }

  /** The line at {@link #pos} read as {@link JsonlLine} does: its op, or null when it is blank. */
  private Op alone(int number) throws IOException {
    int end = pos;
    while (end < blockEnd && buf[end] != '\n' && buf[end] != '\r') {
      end++;
    }
    String text = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
    pos = end < blockEnd && buf[end] == '\r' && end + 1 < blockEnd && buf[end + 1] == '\n' ? end + 2 : end + 1;
    return text.isBlank() ? null : JsonlLine.parse(text, source, number);
  }

  /**
   * Moves the partial line after the block to the front and reads until the buffer is full or the
   * input ends; the new block ends after the last line break (or at the end of the input). False
   * when nothing is left.
   */
  private boolean loadBlock() throws IOException {
    int carry = filled - blockEnd;
    System.arraycopy(buf, blockEnd, buf, 0, carry);
    filled = carry;
    blockEnd = 0;
    pos = 0;
    while (true) {
      if (!eof) {
        filled += in.readNBytes(buf, filled, buf.length - filled);
        eof = filled < buf.length;
      }
      int lastBreak = filled - 1;
      // TRICKY: a \r at the very end may be the first half of \r\n, so it cannot end a block yet.
      while (lastBreak >= carry && buf[lastBreak] != '\n' && (buf[lastBreak] != '\r' || lastBreak + 1 == filled)) {
        lastBreak--;
      }
      if (eof || lastBreak >= carry) {
        blockEnd = eof ? filled : lastBreak + 1;
        break;
      }
      carry = filled;
      grow();
    }
    if (Utf8.firstInvalid(buf, 0, blockEnd) >= 0) {
      throw new HistoryFormatException(source, "not UTF-8 text");
    }
    return blockEnd > 0;
  }

  private void grow() throws HistoryFormatException {
    if (buf.length >= LINE_BYTES_MAX) {
      throw new HistoryFormatException(source, line, 1, "line longer than " + (LINE_BYTES_MAX >> 20) + " MiB");
    }
    buf = Arrays.copyOf(buf, Math.min(LINE_BYTES_MAX, buf.length * 2));
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
