package dev.lockstep.histories;

import dev.lockstep.histories.format.EdnReader;
import dev.lockstep.histories.format.JsonArrayReader;
import dev.lockstep.histories.format.JsonlReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes whole histories in any {@link Format}. Ops come back in file order, exactly as
 * written: {@code read(write(ops)) equals ops} for every format (EDN keeps keywords, symbols, sets,
 * lists and tagged elements; JSON turns them into strings and arrays). A history read from JSON
 * Lines is an unmodifiable {@link OpList}; copy it to change it.
 */
public final class Histories {
  private Histories() {}

  /**
   * Reads the history at {@code path} in the format its extension names.
   *
   * @throws HistoryFormatException for an unknown extension or malformed content (file, line,
   *     column)
   * @throws IOException when the file cannot be read
   */
  public static List<Op> read(Path path) throws IOException {
    return read(path, Format.of(path));
  }

  /** Reads the history at {@code path} in the given format. */
  public static List<Op> read(Path path, Format format) throws IOException {
    if (format == Format.JSONL) {
      try (InputStream in = open(path)) {
        return JsonlReader.readAll(in, path.toString());
      }
    }
    try (HistoryReader r = reader(path, format)) {
      return readAll(r);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new HistoryFormatException(path.toString(), "not UTF-8 text");
    }
  }

  /** Reads a whole history from {@code in}; {@code source} names it in error messages. */
  public static List<Op> read(Reader in, Format format, String source) throws IOException {
    if (format == Format.JSONL) {
      try (in) {
        return JsonlReader.readAll(in, source);
      }
    }
    try (HistoryReader r = reader(in, format, source)) {
      return readAll(r);
    }
  }

  /** Parses a history held in a string. */
  public static List<Op> parse(String text, Format format, String source) throws IOException {
    return read(new java.io.StringReader(text), format, source);
  }

  private static List<Op> readAll(HistoryReader r) throws IOException {
    List<Op> ops = new ArrayList<>();
    for (Op op = r.next(); op != null; op = r.next()) {
      ops.add(op);
    }
    return ops;
  }

  /** A reader of the ops at {@code path} one at a time; the caller closes it. */
  public static HistoryReader reader(Path path, Format format) throws IOException {
    InputStream in = open(path);
    if (format == Format.JSONL) {
      // Bytes straight to the parser: the reader checks they are UTF-8 itself, faster.
      return new JsonlReader(in, path.toString());
    }
    // TRICKY: a strict decoder, so bytes that are not UTF-8 are an error rather than silent U+FFFD.
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    return reader(new InputStreamReader(in, utf8), format, path.toString());
  }

  private static InputStream open(Path path) throws IOException {
    try {
      return Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw new HistoryFormatException(path.toString(), "no such file");
    }
  }

  /** A reader of the ops from {@code in}; {@code source} names it in error messages. */
  public static HistoryReader reader(Reader in, Format format, String source) throws IOException {
    return switch (format) {
      case JSONL -> new JsonlReader(in, source);
      case JSON -> new JsonArrayReader(in, source);
      case EDN -> new EdnReader(in, source);
    };
  }

  /** Writes {@code ops} to {@code path} (created or truncated) in the given format. */
  public static void write(Path path, List<Op> ops, Format format) throws IOException {
    try (HistoryWriter w = HistoryWriter.buffered(path, format)) {
      for (Op op : ops) {
        w.write(op);
      }
    }
  }

  /** Writes {@code ops} to {@code path} in the format its extension names. */
  public static void write(Path path, List<Op> ops) throws IOException {
    write(path, ops, Format.of(path));
  }

  /** The history as text in the given format, as {@link #write} would put it in a file. */
  public static String toString(List<Op> ops, Format format) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (HistoryWriter w = HistoryWriter.to(out, format, false)) {
      for (Op op : ops) {
        w.write(op);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
