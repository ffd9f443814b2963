package dev.lockstep.histories.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.Keyword;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.Symbol;
import dev.lockstep.histories.Tagged;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ops and values to and from JSON on Jackson's streaming API. An op is an object {@code
 * {"type":"invoke","f":"cas","value":[1,2],"process":3,"time":123,"index":7}}; keywords and
 * symbols are written as their names (elle-cli's shape), sets and EDN lists as arrays, a tagged
 * element as its value. JSON integers read as {@link Long} ({@link BigInteger} past 64 bits),
 * fractions as {@link Double}, objects as ordered maps with string keys.
 */
public final class JsonOps {
  /** Shared and thread-safe; rejects duplicate keys in an object. */
  public static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonOps() {}

  /** The op as one line of JSON, without the line break, in UTF-8. */
  public static byte[] toJsonBytes(Op op) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writeOp(g, op);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /** Writes one op object. Fields in the order of {@link EdnWriter#appendOp}. */
  public static void writeOp(JsonGenerator g, Op op) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", op.type().label());
    if (op.f() != null) {
      g.writeStringField("f", op.f());
    }
    g.writeFieldName("value");
    writeValue(g, op.value());
    g.writeFieldName("process");
    writeValue(g, op.process());
    if (op.hasTime()) {
      g.writeNumberField("time", op.time());
    }
    if (op.hasIndex()) {
      g.writeNumberField("index", op.index());
    }
    if (op.error() != null) {
      g.writeFieldName("error");
      writeValue(g, op.error());
    }
    if (op.key() != null) {
      g.writeFieldName("key");
      writeValue(g, op.key());
    }
    for (Map.Entry<String, Object> e : op.extra().entrySet()) {
      if (Fields.isCore(e.getKey())) {
        throw new IllegalArgumentException("extra field '" + e.getKey() + "' shadows a field of the op");
      }
      g.writeFieldName(e.getKey());
      writeValue(g, e.getValue());
    }
    g.writeEndObject();
  }

  /** Writes one value; see the class comment for how EDN-only types appear. */
  public static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Keyword k) {
      g.writeString(k.name());
    } else if (v instanceof Collection<?> c) {
      g.writeStartArray();
      for (Object item : c) {
        writeValue(g, item);
      }
      g.writeEndArray();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(keyString(e.getKey()));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else {
      writeScalar(g, v);
    }
  }

  private static void writeScalar(JsonGenerator g, Object v) throws IOException {
    if (v instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (v instanceof BigDecimal d) {
      g.writeNumber(d);
    } else if (v instanceof Double || v instanceof Float) {
      g.writeNumber(((Number) v).doubleValue());
    } else if (v instanceof Symbol s) {
      g.writeString(s.name());
    } else if (v instanceof Character ch) {
      g.writeString(String.valueOf(ch));
    } else if (v instanceof Tagged t) {
      writeValue(g, t.value());
    } else {
      throw new IllegalArgumentException("no JSON form for a value of " + v.getClass().getName());
    }
  }

  private static String keyString(Object key) {
    if (key instanceof String s) {
      return s;
    }
    if (key instanceof Keyword k) {
      return k.name();
    }
    if (key instanceof Symbol s) {
      return s.name();
    }
    return EdnWriter.toEdn(key);
  }

  /**
   * Reads the op object whose START_OBJECT is the parser's current token, leaving the parser on its
   * END_OBJECT. {@code lineOffset} is added to the parser's line numbers (for JSON Lines, where
   * each line is parsed alone).
   */
  static Op readOp(JsonParser p, String source, int lineOffset) throws IOException {
    JsonLocation start = p.currentTokenLocation();
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new HistoryFormatException(
          source, start.getLineNr() + lineOffset, start.getColumnNr(), "expected an op object, found " + describe(p.currentToken()));
    }
    OpAssembler op = new OpAssembler(source, false, start.getLineNr() + lineOffset, start.getColumnNr());
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      // TRICKY: a JsonLocation per field costs about as much as parsing the field, so only the
      // fields whose type is checked ask where they are. Jackson itself reports duplicate keys.
      JsonLocation at = Fields.isCore(name) ? p.currentTokenLocation() : start;
      int line = at.getLineNr() + lineOffset;
      int column = at.getColumnNr();
      Object value = readValue(p);
      op.put(name, line, column, value, line, column);
    }
    return op.build();
  }

  /** Reads the value whose first token is the parser's current token. */
  public static Object readValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of input");
    }
    return switch (t) {
      case START_OBJECT -> readObject(p);
      case START_ARRAY -> readArray(p);
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + describe(t));
    };
  }

  private static Map<String, Object> readObject(JsonParser p) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      map.put(name, readValue(p));
    }
    return Collections.unmodifiableMap(map);
  }

  private static List<Object> readArray(JsonParser p) throws IOException {
    List<Object> items = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      items.add(readValue(p));
    }
    return Collections.unmodifiableList(items);
  }

  static String describe(JsonToken t) {
    if (t == null) {
      return "end of input";
    }
    return switch (t) {
      case START_OBJECT -> "'{'";
      case END_OBJECT -> "'}'";
      case START_ARRAY -> "'['";
      case END_ARRAY -> "']'";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }

  /** A Jackson parse error as a history format error at the same place. */
  static HistoryFormatException positioned(StreamReadException e, String source, int lineOffset) {
    JsonLocation at = e.getLocation();
    int line = at == null ? 0 : at.getLineNr() + lineOffset;
    int column = at == null ? 0 : at.getColumnNr();
    String reason = e.getOriginalMessage().lines().findFirst().orElse("malformed JSON");
    HistoryFormatException x = new HistoryFormatException(source, Math.max(line, 1), Math.max(column, 1), reason);
    x.initCause(e);
    return x;
  }
}
