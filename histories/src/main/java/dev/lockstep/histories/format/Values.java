package dev.lockstep.histories.format;

import dev.lockstep.histories.EdnList;
import dev.lockstep.histories.Keyword;
import dev.lockstep.histories.Symbol;
import dev.lockstep.histories.Tagged;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Short descriptions of values for error messages. */
final class Values {
  private static final int SHOWN_CHARS_MAX = 40;

  private Values() {}

  static String describe(Object v) {
    if (v == null) {
      return "nil";
    }
    if (v instanceof String s) {
      return "string \"" + clip(s) + "\"";
    }
    if (v instanceof Keyword k) {
      return "keyword " + clip(k.toString());
    }
    if (v instanceof Symbol s) {
      return "symbol " + clip(s.name());
    }
    if (v instanceof Tagged t) {
      return "tagged element #" + clip(t.tag());
    }
    if (v instanceof Boolean b) {
      return "boolean " + b;
    }
    if (v instanceof Long n) {
      return "integer " + n;
    }
    if (v instanceof Number n) {
      return "number " + n;
    }
    if (v instanceof EdnList) {
      return "a list";
    }
    if (v instanceof List) {
      return "a vector";
    }
    if (v instanceof Map) {
      return "a map";
    }
    if (v instanceof Set) {
      return "a set";
    }
    return v.getClass().getSimpleName();
  }

  private static String clip(String s) {
    return s.length() <= SHOWN_CHARS_MAX ? s : s.substring(0, SHOWN_CHARS_MAX) + "...";
  }
}
