package dev.lockstep.checkers.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code --init}: nil, true, false, a number, a [vector] of those, a {map} from key to
 * value ({@code {:x 0 :y 0}} or {@code {x 0, y 0}}, for multi-register; keys by name), or else a
 * string.
 */
final class InitValue {
  private InitValue() {}

  /** The value {@code text} spells; throws {@link IllegalArgumentException} naming the problem. */
  static Object parse(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    if (t.startsWith("[")) {
      if (!t.endsWith("]")) {
        throw new IllegalArgumentException("--init: unterminated vector '" + text + "'");
      }
      List<Object> list = new ArrayList<>();
      for (String part : parts(t)) {
        list.add(scalar(part));
      }
      return list;
    }
    if (t.startsWith("{")) {
      if (!t.endsWith("}")) {
        throw new IllegalArgumentException("--init: unterminated map '" + text + "'");
      }
      List<String> parts = parts(t);
      if (parts.size() % 2 != 0) {
        throw new IllegalArgumentException("--init: a map needs a value for every key, got '" + text + "'");
      }
      Map<String, Object> map = new LinkedHashMap<>();
      for (int i = 0; i < parts.size(); i += 2) {
        String key = parts.get(i).startsWith(":") ? parts.get(i).substring(1) : parts.get(i);
        map.put(unquote(key), scalar(parts.get(i + 1)));
      }
      return map;
    }
    return scalar(t);
  }

  private static List<String> parts(String bracketed) {
    List<String> out = new ArrayList<>();
    for (String part : bracketed.substring(1, bracketed.length() - 1).split("[\\s,]+")) {
      if (!part.isEmpty()) {
        out.add(part);
      }
    }
    return out;
  }

  private static Object scalar(String t) {
    switch (t) {
      case "nil", "null":
        return null;
      case "true":
        return true;
      case "false":
        return false;
      default:
        break;
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      try {
        return new java.math.BigDecimal(t);
      } catch (NumberFormatException notNumber) {
        return unquote(t);
      }
    }
  }

  private static String unquote(String t) {
    return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
  }
}
