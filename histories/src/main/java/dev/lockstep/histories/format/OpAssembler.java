package dev.lockstep.histories.format;

import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.Keyword;
import dev.lockstep.histories.Op;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds one {@link Op} from the entries of an op map, in the order they come, checking the type of
 * each known field where it stands. Shared by the EDN and JSON readers so both map keys the same
 * way.
 */
final class OpAssembler {
  /** Bits of the fields an op was given, shared with {@link OpLineScanner}. */
  static final int TYPE = 1;
  static final int F = 1 << 1;
  static final int VALUE = 1 << 2;
  static final int PROCESS = 1 << 3;
  static final int TIME = 1 << 4;
  static final int INDEX = 1 << 5;
  static final int ERROR = 1 << 6;
  static final int KEY = 1 << 7;

  private final String source;
  private final boolean edn;
  private final int line;
  private final int column;
  private int seen;
  private Op.Type type;
  private String f;
  private Object value;
  private Object process;
  private long time = Op.ABSENT;
  private long index = Op.ABSENT;
  private Object error;
  private Object key;
  private Map<String, Object> extra;

  /** An assembler for the map that opens at {@code line}:{@code column}. */
  OpAssembler(String source, boolean edn, int line, int column) {
    this.source = source;
    this.edn = edn;
    this.line = line;
    this.column = column;
  }

  /** Adds one entry; the positions are those of the key and of the value. */
  void put(Object rawKey, int keyLine, int keyColumn, Object v, int valueLine, int valueColumn)
      throws HistoryFormatException {
    String name = keyName(rawKey, keyLine, keyColumn);
    int bit = bitOf(name);
    boolean duplicate = bit != 0 ? (seen & bit) != 0 : extra != null && extra.containsKey(name);
    if (duplicate) {
      throw new HistoryFormatException(source, keyLine, keyColumn, "duplicate key " + show(name));
    }
    seen |= bit;
    switch (name) {
      case "type" -> type = parseType(v, valueLine, valueColumn);
      case "f" -> f = parseF(v, valueLine, valueColumn);
      case "value" -> value = v;
      case "process" -> process = parseProcess(v, valueLine, valueColumn);
      case "time" -> time = parseLong(name, v, valueLine, valueColumn);
      case "index" -> index = parseLong(name, v, valueLine, valueColumn);
      case "error" -> error = v;
      case "key" -> key = v;
      default -> extra().put(name, v);
    }
  }

  /** The op; fails when the map had no type. */
  Op build() throws HistoryFormatException {
    if (type == null) {
      throw new HistoryFormatException(source, line, column, "op has no " + show("type"));
    }
    Map<String, Object> x = extra == null ? Map.of() : Collections.unmodifiableMap(extra);
    return new Op(index, type, f, value, process, time, error, key, x);
  }

  private Map<String, Object> extra() {
    if (extra == null) {
      extra = new LinkedHashMap<>();
    }
    return extra;
  }

  private String keyName(Object rawKey, int l, int c) throws HistoryFormatException {
    if (rawKey instanceof Keyword k) {
      return k.name();
    }
    if (rawKey instanceof String s) {
      return s;
    }
    throw new HistoryFormatException(
        source, l, c, "op map keys must be keywords or strings, got " + Values.describe(rawKey));
  }

  private static int bitOf(String name) {
    return switch (name) {
      case "type" -> TYPE;
      case "f" -> F;
      case "value" -> VALUE;
      case "process" -> PROCESS;
      case "time" -> TIME;
      case "index" -> INDEX;
      case "error" -> ERROR;
      case "key" -> KEY;
      default -> 0;
    };
  }

  private Op.Type parseType(Object v, int l, int c) throws HistoryFormatException {
    String label = v instanceof Keyword k ? k.name() : v instanceof String s ? s : null;
    Op.Type t = label == null ? null : Op.typeOf(label);
    if (t == null) {
      throw new HistoryFormatException(
          source, l, c, "wrong value for " + show("type") + ": expected invoke, ok, fail or info, got " + Values.describe(v));
    }
    return t;
  }

  private String parseF(Object v, int l, int c) throws HistoryFormatException {
    if (v == null || v instanceof String) {
      return (String) v;
    }
    if (v instanceof Keyword k) {
      return k.name();
    }
    throw new HistoryFormatException(
        source, l, c, "wrong type for " + show("f") + ": expected a keyword or string, got " + Values.describe(v));
  }

  private Object parseProcess(Object v, int l, int c) throws HistoryFormatException {
    if (v == null || v instanceof Long || v instanceof Keyword || v instanceof String) {
      return v;
    }
    throw new HistoryFormatException(
        source, l, c, "wrong type for " + show("process") + ": expected an integer or :nemesis, got " + Values.describe(v));
  }

  private long parseLong(String name, Object v, int l, int c) throws HistoryFormatException {
    if (v instanceof Long n && n != Op.ABSENT) {
      return n;
    }
    throw new HistoryFormatException(
        source, l, c, "wrong type for " + show(name) + ": expected an integer, got " + Values.describe(v));
  }

  private String show(String name) {
    return edn ? ":" + name : "\"" + name + "\"";
  }
}
