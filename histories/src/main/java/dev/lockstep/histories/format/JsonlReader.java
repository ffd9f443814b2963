package dev.lockstep.histories.format;

import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.HistoryReader;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.OpList;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON Lines: one op object per line; blank lines are skipped. The input must be UTF-8. Each
 * line is judged on its own ({@link JsonlLine}): a truncated line is reported on that line, not
 * where the next one begins, and two values on one line are an error.
 *
 * <p>TRICKY: a Jackson parser per line is slow, so the input is cut into blocks of whole lines
 * ({@link LineBlocks}) and each line is first offered to an {@link OpLineScanner}, which builds the
 * op straight from the bytes when the line is of the common, simple kind. Any other line (escapes,
 * floats, big numbers, anything malformed) goes to {@link JsonlLine}, which returns the op or
 * throws the error a line-by-line reader would. Either way the result is the same; only the time
 * differs. Blocks are independent, so {@link #readAll} parses several at once.
 */
public final class JsonlReader implements HistoryReader {
  /** Bytes read from the input at a time: under half a G1 region, so not a humongous object. */
  static final int BLOCK_BYTES = 1 << 18;
  /** Blocks {@link #readAll} reads before parsing them in parallel: bounds the bytes held. */
  static final int BLOCKS_PER_ROUND = 16;
  /** For sizing lists of ops: a short op line. */
  private static final int LINE_BYTES_TYPICAL = 64;

  private final LineBlocks blocks;
  private final InputStream in;
  private final String source;
  private Parsed block = new Parsed(List.of(), 0, Failure.NONE, 0, null);
  private int served;
  /** The number of the first line of {@link #block}. */
  private int firstLine = 1;

  /** A reader of UTF-8 bytes; {@code source} names the input in error messages. */
  public JsonlReader(InputStream in, String source) {
    this(in, source, BLOCK_BYTES);
  }

  /** A reader of text; {@code source} names it in error messages. */
  public JsonlReader(Reader in, String source) {
    this(new Utf8Bytes(in, source), source, BLOCK_BYTES);
  }

  /** A reader whose blocks hold {@code blockBytes}: small in tests of block boundaries. */
  JsonlReader(InputStream in, String source, int blockBytes) {
    this.in = in;
    this.blocks = new LineBlocks(in, blockBytes);
    this.source = source;
  }

  @Override
  public Op next() throws IOException {
    while (served == block.ops.size()) {
      block.throwFailure(source, firstLine);
      firstLine += block.lines;
      LineBlocks.Block next = blocks.next();
      if (next == null) {
        return null;
      }
      block = parse(next, source);
      blocks.recycle(next);
      served = 0;
    }
    return block.ops.get(served++);
  }

  /**
   * Every op of a whole input, as {@link #next} would return them one by one (and the same error),
   * parsing up to {@link #BLOCKS_PER_ROUND} blocks in parallel; an unmodifiable {@link OpList}.
   */
  public static List<Op> readAll(InputStream in, String source) throws IOException {
    return readAll(in, source, BLOCK_BYTES);
  }

  /** As {@link #readAll(InputStream, String)} for text. */
  public static List<Op> readAll(Reader in, String source) throws IOException {
    return readAll(new Utf8Bytes(in, source), source, BLOCK_BYTES);
  }

  static List<Op> readAll(InputStream in, String source, int blockBytes) throws IOException {
    LineBlocks blocks = new LineBlocks(in, blockBytes);
    List<List<Op>> parts = new ArrayList<>();
    int line = 1;
    boolean more = true;
    while (more) {
      List<LineBlocks.Block> round = new ArrayList<>(BLOCKS_PER_ROUND);
      IOException unread = null;
      try {
        while (more && round.size() < BLOCKS_PER_ROUND) {
          LineBlocks.Block b = blocks.next();
          more = b != null && !b.overlong();
          if (b != null) {
            round.add(b);
          }
        }
      } catch (IOException e) {
        // Surfaces after the lines before it, as it would reading one block at a time.
        unread = e;
        more = false;
      }
      List<Parsed> parsed = round.size() <= 1
          ? round.stream().map(b -> parse(b, source)).toList()
          : round.parallelStream().map(b -> parse(b, source)).toList();
      round.forEach(blocks::recycle);
      for (Parsed p : parsed) {
        parts.add(p.ops);
        p.throwFailure(source, line);
        line += p.lines;
      }
      if (unread != null) {
        throw unread;
      }
    }
    return OpList.concat(parts);
  }

  /**
   * The ops of one block, with lines counted from 1 within it: errors are placed once the block's
   * place in the input is known.
   */
  private static Parsed parse(LineBlocks.Block block, String source) {
    byte[] b = block.bytes();
    int length = block.length();
    if (block.overlong()) {
      return new Parsed(List.of(), 0, Failure.OVERLONG, 0, null);
    }
    if (Utf8.firstInvalid(b, 0, length) >= 0) {
      return new Parsed(List.of(), 0, Failure.NOT_UTF8, 0, null);
    }
    OpLineScanner scanner = new OpLineScanner();
    List<Op> ops = new ArrayList<>(length / LINE_BYTES_TYPICAL + 1);
    int pos = 0;
    int line = 0;
    while (pos < length) {
      line++;
      Op op = scanner.scan(b, pos, length);
      if (op == null) {
        int end = pos;
        while (end < length && b[end] != '\n' && b[end] != '\r') {
          end++;
        }
        String text = new String(b, pos, end - pos, StandardCharsets.UTF_8);
        pos = end < length && b[end] == '\r' && end + 1 < length && b[end + 1] == '\n' ? end + 2 : end + 1;
        try {
          op = text.isBlank() ? OpLineScanner.BLANK : JsonlLine.parse(text, source, line);
        } catch (IOException e) {
          return new Parsed(ops, line, Failure.LINE, line, text);
        }
      } else {
        pos = scanner.next();
      }
      if (op != OpLineScanner.BLANK) {
        ops.add(op);
      }
    }
    return new Parsed(ops, line, Failure.NONE, 0, null);
  }

  private enum Failure {
    NONE,
    NOT_UTF8,
    OVERLONG,
    LINE
  }

  /**
   * A parsed block: its ops, its number of lines, and how it failed: for a failed line, its number
   * (from 1 within the block) and text.
   */
  private record Parsed(List<Op> ops, int lines, Failure failure, int failedLine, String failedText) {
    /** Throws this block's failure, placed in the input given the number of its first line. */
    void throwFailure(String source, int firstLine) throws IOException {
      switch (failure) {
        case NONE -> {}
        case NOT_UTF8 -> throw new HistoryFormatException(source, "not UTF-8 text");
        case OVERLONG -> throw new HistoryFormatException(
            source, firstLine, 1, "line longer than " + (LineBlocks.LINE_BYTES_MAX >> 20) + " MiB");
        case LINE -> {
          // The strict path failed on this line before; again, now with its number in the input.
          int number = firstLine + failedLine - 1;
          JsonlLine.parse(failedText, source, number);
          throw new IllegalStateException("line " + number + " of " + source + " failed once, not twice");
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
