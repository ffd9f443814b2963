package dev.lockstep.histories.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.base.ParserBase;
import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.HistoryReader;
import dev.lockstep.histories.Op;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Reads JSON Lines: one op object per line; blank lines are skipped. The input must be UTF-8. Every
 * line is judged as if parsed on its own ({@link JsonlLine}): a truncated line is reported on that
 * line, not where the next one begins, and two values on one line are an error.
 *
 * <p>TRICKY: parsing each line on its own is slow, so the reader runs one Jackson parser over a
 * block of whole lines and builds ops straight from the tokens ({@link JsonOpDecoder}), checking
 * only that each op starts and ends on one line with nothing after it. A line that passes those
 * checks is read exactly as alone. Any other line (malformed, two values, an op spanning lines, a
 * line blank only by Java's broader notion of whitespace) goes to {@link JsonlLine}, which returns
 * its op or throws the error a line-by-line reader would; the fast parser then starts afresh on
 * the next line.
 */
public final class JsonlReader implements HistoryReader {
  /** Bytes read from the input at a time. */
  static final int BLOCK_BYTES = 1 << 20;
  /** The longest line accepted: a block must hold at least one whole line. */
  static final int LINE_BYTES_MAX = 1 << 26;

  private final InputStream in;
  private final String source;
  private final JsonOpDecoder decoder = new JsonOpDecoder();
  private byte[] buf;
  /** Bytes of {@link #buf} filled from the input. */
  private int filled;
  /** {@code buf[0, blockEnd)} holds whole lines, validated as UTF-8; the rest is a partial line. */
  private int blockEnd;
  private boolean eof;
  /** The parser over {@code buf[pos, blockEnd)}, or null between parsers. */
  private JsonParser parser;
  /** Where the parser starts or the next one will (always the start of a line), and its number. */
  private int pos;
  private int line = 1;
  /** The start and number of the line after the last op read from the current parser. */
  private int after;
  private int afterLine;

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
    while (true) {
      if (parser == null) {
        if (pos >= blockEnd && !loadBlock()) {
          return null;
        }
        if (mayConfuseJackson(pos)) {
          Op op = alone(pos, line);
          if (op != null) {
            return op;
          }
          continue;
        }
        parser = JsonOpDecoder.FACTORY.createParser(buf, pos, blockEnd - pos);
        after = pos;
        afterLine = line;
      }
      Op op = nextFromParser();
      if (op != null) {
        return op;
      }
    }
  }

  /**
   * The next op of the current parser, or null when there is none: the parser reached the end of
   * its block, or a line went to the strict path and was blank.
   */
  private Op nextFromParser() throws IOException {
    JsonToken t;
    try {
      t = parser.nextToken();
    } catch (IOException e) {
      return aloneFirstContent();
    }
    if (t == null) {
      int lines = parser.currentLocation().getLineNr() - 1;
      closeParser();
      line += lines;
      pos = blockEnd;
      return null;
    }
    int opLine = line + tokenLine() - 1;
    if (t == JsonToken.START_OBJECT) {
      try {
        Op op = decoder.readOp(parser);
        // TRICKY: relative to where the parser started.
        long end = parser.currentTokenLocation().getByteOffset();
        if (line + tokenLine() - 1 == opLine && restOfLineIsBlank(pos + (int) end + 1, opLine)) {
          return op;
        }
      } catch (IOException | JsonOpDecoder.Rejected e) {
        // The strict path explains it.
      }
    }
    return alone(lineStart(opLine), opLine);
  }

  private int tokenLine() {
    return ((ParserBase) parser).getTokenLineNr();
  }

  /**
   * TRICKY: Jackson guesses the encoding of a byte array from its first four bytes, so a NUL there
   * could make it read UTF-16 or UTF-32, and it skips a byte order mark that a line-by-line parser
   * would refuse. A parser never starts on such bytes: their line goes to the strict path.
   */
  private boolean mayConfuseJackson(int start) {
    for (int i = start; i < Math.min(start + 4, blockEnd); i++) {
      if (buf[i] == 0) {
        return true;
      }
    }
    return start + 3 <= blockEnd && buf[start] == (byte) 0xef && buf[start + 1] == (byte) 0xbb && buf[start + 2] == (byte) 0xbf;
  }

  /**
   * Whether only spaces and tabs follow {@code from} up to the end of line {@code number}; if so,
   * notes the next line as {@link #after}.
   */
  private boolean restOfLineIsBlank(int from, int number) {
    int i = from;
    while (i < blockEnd && (buf[i] == ' ' || buf[i] == '\t')) {
      i++;
    }
    if (i < blockEnd && buf[i] != '\n' && buf[i] != '\r') {
      return false;
    }
    after = i < blockEnd ? skipBreak(i) : blockEnd;
    afterLine = number + 1;
    return true;
  }

  /** Jackson failed between ops: reads alone the first line after the last op with content. */
  private Op aloneFirstContent() throws IOException {
    int start = after;
    int number = afterLine;
    for (int i = start; i < blockEnd; ) {
      byte b = buf[i];
      if (b == '\n' || b == '\r') {
        i = skipBreak(i);
        start = i;
        number++;
      } else if (b == ' ' || b == '\t') {
        i++;
      } else {
        return alone(start, number);
      }
    }
    // Jackson failed on nothing but whitespace: cannot be, but never loop on it.
    throw new HistoryFormatException(source, afterLine, 1, "malformed JSON Lines");
  }

  /**
   * Reads line {@code number}, which begins at {@code start}, alone as {@link JsonlLine} does: its
   * op, or null for a blank line. The next parser starts on the line after it.
   */
  private Op alone(int start, int number) throws IOException {
    int end = start;
    while (end < blockEnd && buf[end] != '\n' && buf[end] != '\r') {
      end++;
    }
    String text = new String(buf, start, end - start, StandardCharsets.UTF_8);
    closeParser();
    pos = end < blockEnd ? skipBreak(end) : blockEnd;
    line = number + 1;
    return text.isBlank() ? null : JsonlLine.parse(text, source, number);
  }

  /** The start of line {@code number}, counting from {@link #after}. */
  private int lineStart(int number) {
    int i = after;
    for (int n = afterLine; n < number && i < blockEnd; n++) {
      while (i < blockEnd && buf[i] != '\n' && buf[i] != '\r') {
        i++;
      }
      i = i < blockEnd ? skipBreak(i) : i;
    }
    return i;
  }

  /** The index after the line break at {@code i} ({@code \n}, {@code \r} or {@code \r\n}). */
  private int skipBreak(int i) {
    return buf[i] == '\r' && i + 1 < blockEnd && buf[i + 1] == '\n' ? i + 2 : i + 1;
  }

  /**
   * Moves the partial line after the block to the front and reads until the buffer is full or the
   * input ends; the new block ends after the last line break (or at the end of the input).
   */
  private boolean loadBlock() throws IOException {
    int carry = filled - blockEnd;
    System.arraycopy(buf, blockEnd, buf, 0, carry);
    filled = carry;
    blockEnd = 0;
    pos = 0;
    while (true) {
      if (!eof) {
        int n = in.readNBytes(buf, filled, buf.length - filled);
        filled += n;
        eof = filled < buf.length;
      }
      int lastBreak = filled - 1;
      while (lastBreak >= 0 && buf[lastBreak] != '\n') {
        lastBreak--;
      }
      if (eof || lastBreak >= 0) {
        blockEnd = eof ? filled : lastBreak + 1;
        break;
      }
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
    buf = java.util.Arrays.copyOf(buf, Math.min(LINE_BYTES_MAX, buf.length * 2));
  }

  private void closeParser() throws IOException {
    if (parser != null) {
      parser.close();
      parser = null;
    }
  }

  @Override
  public void close() throws IOException {
    closeParser();
    in.close();
  }
}
