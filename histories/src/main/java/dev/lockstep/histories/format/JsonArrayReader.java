package dev.lockstep.histories.format;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.HistoryReader;
import dev.lockstep.histories.Op;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads a JSON history: one array of op objects (elle-cli's shape), or, leniently, op objects one
 * after another at the top level. An empty input is an empty history.
 */
public final class JsonArrayReader implements HistoryReader {
  private final JsonParser p;
  private final String source;
  private boolean started;
  private boolean inArray;
  private boolean pending;
  private boolean done;

  /** A reader of {@code in}; {@code source} names it in error messages. */
  public JsonArrayReader(Reader in, String source) throws IOException {
    this.p = JsonOps.FACTORY.createParser(in);
    this.source = source;
  }

  @Override
  public Op next() throws IOException {
    try {
      return done ? null : advance();
    } catch (StreamReadException e) {
      throw JsonOps.positioned(e, source, 0);
    }
  }

  private Op advance() throws IOException {
    if (!started) {
      started = true;
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_ARRAY) {
        inArray = true;
      } else if (first == JsonToken.START_OBJECT) {
        pending = true;
      } else if (first == null) {
        done = true;
        return null;
      } else {
        throw unexpected(first, "expected a JSON array of ops");
      }
    }
    JsonToken t = pending ? p.currentToken() : p.nextToken();
    pending = false;
    if (inArray && t == JsonToken.END_ARRAY) {
      JsonToken after = p.nextToken();
      if (after != null) {
        throw unexpected(after, "unexpected content after the array of ops");
      }
      done = true;
      return null;
    }
    if (t == null) {
      if (inArray) {
        throw unexpected(null, "unterminated array of ops");
      }
      done = true;
      return null;
    }
    return JsonOps.readOp(p, source, 0);
  }

  private HistoryFormatException unexpected(JsonToken t, String reason) {
    JsonLocation at = p.currentTokenLocation();
    return new HistoryFormatException(source, Math.max(at.getLineNr(), 1), Math.max(at.getColumnNr(), 1), reason + ", found " + JsonOps.describe(t));
  }

  @Override
  public void close() throws IOException {
    p.close();
  }
}
