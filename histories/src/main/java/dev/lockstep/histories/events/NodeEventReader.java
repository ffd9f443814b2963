package dev.lockstep.histories.events;

import dev.lockstep.histories.HistoryFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a node's event log. Strict by default: any malformed line is an error naming the file,
 * line and column. {@link #readTolerant} accepts one torn last line (no line break at the end and
 * not parseable), which is what a node killed in the middle of a write could leave.
 */
public final class NodeEventReader {
  private NodeEventReader() {}

  /** The events of a log, with whether a torn last line was dropped. */
  public record Log(List<NodeEvent> events, boolean tornTail) {}

  /** Every event of the log at {@code path}, in file order. */
  public static List<NodeEvent> read(Path path) throws IOException {
    return read(path, false).events();
  }

  /** As {@link #read}, but drops a torn last line instead of failing on it. */
  public static Log readTolerant(Path path) throws IOException {
    return read(path, true);
  }

  private static Log read(Path path, boolean tolerant) throws IOException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new HistoryFormatException(path.toString(), "no such file");
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new HistoryFormatException(path.toString(), "not UTF-8 text");
    }
    return parse(new java.io.StringReader(text), path.toString(), tolerant && !text.isEmpty() && !text.endsWith("\n"));
  }

  /** Parses a whole log from {@code in}; {@code source} names it in errors. */
  public static List<NodeEvent> parse(Reader in, String source) throws IOException {
    return parse(in, source, false).events();
  }

  private static Log parse(Reader in, String source, boolean lastLineMayBeTorn) throws IOException {
    List<NodeEvent> events = new ArrayList<>();
    BufferedReader lines = new BufferedReader(in);
    int number = 0;
    String line = lines.readLine();
    while (line != null) {
      number++;
      String following = lines.readLine();
      if (!line.isBlank()) {
        try {
          events.add(NodeEventCodec.parse(line, source, number));
        } catch (HistoryFormatException e) {
          if (following == null && lastLineMayBeTorn) {
            return new Log(List.copyOf(events), true);
          }
          throw e;
        }
      }
      line = following;
    }
    return new Log(List.copyOf(events), false);
  }
}
