package dev.lockstep.histories.format;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.Op;
import java.io.IOException;

/**
 * The strict reading of one line of JSON Lines on its own, the rule {@link JsonlReader} must
 * follow: one op object and nothing else, every error placed on that line. Slow (a parser per
 * line, every position tracked), so the reader comes here only for a line its fast path would not
 * accept, to explain it.
 */
final class JsonlLine {
  private JsonlLine() {}

  /** The op on line {@code number} of {@code source}, whose text (without its line break) is {@code line}. */
  static Op parse(String line, String source, int number) throws IOException {
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
}
