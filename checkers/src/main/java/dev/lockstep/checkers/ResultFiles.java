package dev.lockstep.checkers;

import dev.lockstep.histories.Keyword;
import dev.lockstep.histories.format.EdnWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders results as JSON and as EDN in Jepsen's shape ({@code :valid? true|false|:unknown}). */
public final class ResultFiles {
  private ResultFiles() {}

  /** Pretty JSON of a JSON-able value (see {@link Result#evidence()}). */
  public static String json(Object value) {
    StringBuilder out = new StringBuilder();
    json(out, value, 0);
    return out.append('\n').toString();
  }

  private static void json(StringBuilder out, Object v, int indent) {
    if (v == null || v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      out.append(v);
    } else if (v instanceof Number n) {
      double d = n.doubleValue();
      out.append(Double.isFinite(d) ? String.valueOf(d) : "null");
    } else if (v instanceof Map<?, ?> map) {
      out.append('{');
      String sep = "\n";
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(sep).append("  ".repeat(indent + 1));
        string(out, String.valueOf(e.getKey()));
        out.append(": ");
        json(out, e.getValue(), indent + 1);
        sep = ",\n";
      }
      out.append(map.isEmpty() ? "" : "\n" + "  ".repeat(indent)).append('}');
    } else if (v instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ", ");
        json(out, list.get(i), indent + 1);
      }
      out.append(']');
    } else {
      string(out, String.valueOf(v));
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** EDN with keyword keys; a {@code valid} entry becomes {@code :valid?} true, false or :unknown. */
  public static String edn(Map<String, Object> map) {
    return EdnWriter.toEdn(toEdnValue(map)) + "\n";
  }

  private static Object toEdnValue(Object v) {
    if (v instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, value) -> {
        String name = String.valueOf(k);
        if (name.equals("valid") && value instanceof String label) {
          out.put(new Keyword("valid?"), label.equals("unknown") ? new Keyword("unknown") : Boolean.valueOf(label));
        } else {
          out.put(keyword(name), toEdnValue(value));
        }
      });
      return out;
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(x -> out.add(toEdnValue(x)));
      return out;
    }
    return v;
  }

  private static Object keyword(String name) {
    return name.matches("[A-Za-z*+!_?<>=-][A-Za-z0-9*+!_?<>=.-]*") ? new Keyword(name) : name;
  }
}
