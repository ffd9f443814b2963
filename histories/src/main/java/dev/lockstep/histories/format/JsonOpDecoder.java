package dev.lockstep.histories.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lockstep.histories.Op;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes well-formed op objects straight from the tokens, with no positions and no messages. It
 * accepts exactly what {@link JsonOps#readOp} accepts and builds the same op; anything else it
 * rejects with {@link Rejected}, and the caller lets the strict path explain the input. Repeated
 * short strings come from one {@link StringCache}, so a decoder is not thread-safe.
 */
final class JsonOpDecoder {
  /** Shared and thread-safe; no duplicate detection, since the decoder detects duplicates itself. */
  static final JsonFactory FACTORY = JsonFactory.builder().build();

  private static final int TYPE = 1;
  private static final int F = 1 << 1;
  private static final int VALUE = 1 << 2;
  private static final int PROCESS = 1 << 3;
  private static final int TIME = 1 << 4;
  private static final int INDEX = 1 << 5;
  private static final int ERROR = 1 << 6;
  private static final int KEY = 1 << 7;
  private static final int LIST_CAPACITY_FIRST = 4;

  /** Input the strict path must judge. Preallocated and without a stack trace: it is control flow. */
  static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    static final Rejected INSTANCE = new Rejected();

    private Rejected() {
      super("not an op the fast path accepts", null, false, false);
    }
  }

  private final StringCache strings = new StringCache();

  /**
   * The op whose START_OBJECT is the parser's current token, leaving the parser on its END_OBJECT.
   *
   * @throws Rejected when the object is not an op {@link JsonOps#readOp} would accept
   * @throws IOException when Jackson finds the JSON malformed
   */
  Op readOp(JsonParser p) throws IOException, Rejected {
    int seen = 0;
    Op.Type type = null;
    String f = null;
    Object value = null;
    Object process = null;
    long time = Op.ABSENT;
    long index = Op.ABSENT;
    Object error = null;
    Object key = null;
    Map<String, Object> extra = null;
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      int bit;
      switch (name) {
        case "type" -> {
          bit = TYPE;
          type = type(p, t);
        }
        case "f" -> {
          bit = F;
          f = t == JsonToken.VALUE_NULL ? null : string(p, t);
        }
        case "value" -> {
          bit = VALUE;
          value = value(p, t);
        }
        case "process" -> {
          bit = PROCESS;
          process = process(p, t);
        }
        case "time" -> {
          bit = TIME;
          time = integer(p, t);
        }
        case "index" -> {
          bit = INDEX;
          index = integer(p, t);
        }
        case "error" -> {
          bit = ERROR;
          error = value(p, t);
        }
        case "key" -> {
          bit = KEY;
          key = value(p, t);
        }
        default -> {
          bit = 0;
          extra = extra == null ? new LinkedHashMap<>() : extra;
          if (extra.containsKey(name)) {
            throw Rejected.INSTANCE;
          }
          extra.put(name, value(p, t));
        }
      }
      if ((seen & bit) != 0) {
        throw Rejected.INSTANCE;
      }
      seen |= bit;
    }
    if (type == null || p.currentToken() != JsonToken.END_OBJECT) {
      throw Rejected.INSTANCE;
    }
    return new Op(index, type, f, value, process, time, error, key, extra == null ? Map.of() : Collections.unmodifiableMap(extra));
  }

  private Op.Type type(JsonParser p, JsonToken t) throws IOException, Rejected {
    Op.Type type = Op.typeOf(string(p, t));
    if (type == null) {
      throw Rejected.INSTANCE;
    }
    return type;
  }

  private Object process(JsonParser p, JsonToken t) throws IOException, Rejected {
    return switch (t) {
      case VALUE_NULL -> null;
      case VALUE_STRING -> string(p, t);
      default -> integer(p, t);
    };
  }

  private static long integer(JsonParser p, JsonToken t) throws IOException, Rejected {
    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw Rejected.INSTANCE;
    }
    long n = p.getLongValue();
    if (n == Op.ABSENT) {
      throw Rejected.INSTANCE;
    }
    return n;
  }

  private String string(JsonParser p, JsonToken t) throws IOException, Rejected {
    if (t != JsonToken.VALUE_STRING) {
      throw Rejected.INSTANCE;
    }
    return strings.get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
  }

  /** A value as {@link JsonOps#readValue} reads it. */
  private Object value(JsonParser p, JsonToken t) throws IOException, Rejected {
    if (t == null) {
      throw Rejected.INSTANCE;
    }
    return switch (t) {
      case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : (Object) p.getLongValue();
      case VALUE_STRING -> string(p, t);
      case VALUE_NULL -> null;
      case START_ARRAY -> list(p);
      case START_OBJECT -> map(p);
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      default -> throw Rejected.INSTANCE;
    };
  }

  private List<Object> list(JsonParser p) throws IOException, Rejected {
    List<Object> items = new ArrayList<>(LIST_CAPACITY_FIRST);
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      items.add(value(p, t));
    }
    return Collections.unmodifiableList(items);
  }

  private Map<String, Object> map(JsonParser p) throws IOException, Rejected {
    Map<String, Object> map = new LinkedHashMap<>();
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      if (map.containsKey(name)) {
        throw Rejected.INSTANCE;
      }
      map.put(name, value(p, p.nextToken()));
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw Rejected.INSTANCE;
    }
    return Collections.unmodifiableMap(map);
  }
}
