package dev.lockstep.histories.format;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.HistoryReader;
import dev.lockstep.histories.Op;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads JSON Lines: one op object per line; blank lines are skipped. Each line is parsed on its
 * own, so a truncated line is reported on that line rather than where the next one begins.
 */
public final class JsonlReader implements HistoryReader {
  private final BufferedReader in;
  private final String source;
  private int lineNumber;

  /** A reader of {@code in}; {@code source} names it in error messages. */
  public JsonlReader(Reader in, String source) {
    this.in = in instanceof BufferedReader b ? b : new BufferedReader(in);
    this.source = source;
  }

  @Override
  public Op next() throws IOException {
    String line;
    do {
      line = in.readLine();
      if (line == null) {
        return null;
      }
      lineNumber++;
    } while (line.isBlank());
    return parseLine(line, lineNumber);
  }

  private Op parseLine(String line, int number) throws IOException {
    try (JsonParser p = JsonOps.FACTORY.createParser(line)) {
      p.nextToken();
      Op op = JsonOps.readOp(p, source, number - 1);
      JsonToken after = p.nextToken();
      if (after != null) {
        JsonLocation at = p.currentTokenLocation();
        throw new HistoryFormatException(source, number, at.getColumnNr(), "more than one JSON value on one line: found " + JsonOps.describe(after) + " after the op");
      }
      return op;
    } catch (StreamReadException e) {
      throw JsonOps.positioned(e, source, number - 1);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
