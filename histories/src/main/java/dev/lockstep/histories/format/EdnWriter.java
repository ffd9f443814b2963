package dev.lockstep.histories.format;

import dev.lockstep.histories.EdnList;
import dev.lockstep.histories.Keyword;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.Symbol;
import dev.lockstep.histories.Tagged;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints ops and values as Clojure's {@code pr} does, so Jepsen and Knossos read them: {@code
 * {:type :invoke, :f :cas, :value [1 2], :process 3, :time 123, :index 7}}. What {@link EdnReader}
 * reads, this prints back the same.
 */
public final class EdnWriter {
  private EdnWriter() {}

  /** Appends one op map, without a line break. Fields: type, f, value, process, time, index,
   * error, key, then the extra fields in their order; f is left out when null, time and index
   * when absent, error and key when null. */
  public static void appendOp(StringBuilder out, Op op) {
    out.append("{:type :").append(op.type().label());
    if (op.f() != null) {
      out.append(", :f ");
      appendName(out, op.f());
    }
    out.append(", :value ");
    appendValue(out, op.value());
    out.append(", :process ");
    appendProcess(out, op.process());
    if (op.hasTime()) {
      out.append(", :time ").append(op.time());
    }
    if (op.hasIndex()) {
      out.append(", :index ").append(op.index());
    }
    if (op.error() != null) {
      out.append(", :error ");
      appendValue(out, op.error());
    }
    if (op.key() != null) {
      out.append(", :key ");
      appendValue(out, op.key());
    }
    for (Map.Entry<String, Object> e : op.extra().entrySet()) {
      if (Fields.isCore(e.getKey())) {
        throw new IllegalArgumentException("extra field '" + e.getKey() + "' shadows a field of the op");
      }
      out.append(", ");
      appendName(out, e.getKey());
      out.append(' ');
      appendValue(out, e.getValue());
    }
    out.append('}');
  }

  /** The op as one EDN map. */
  public static String toEdn(Op op) {
    StringBuilder sb = new StringBuilder(96);
    appendOp(sb, op);
    return sb.toString();
  }

  /** The value as EDN. */
  public static String toEdn(Object value) {
    StringBuilder sb = new StringBuilder();
    appendValue(sb, value);
    return sb.toString();
  }

  private static void appendProcess(StringBuilder out, Object process) {
    // Jepsen's nemesis is the keyword :nemesis; a JSON history brings it as a string.
    if (Op.NEMESIS.equals(process)) {
      out.append(":nemesis");
    } else {
      appendValue(out, process);
    }
  }

  /** A name as a keyword when it reads back as one, else as a string. */
  private static void appendName(StringBuilder out, String name) {
    if (EdnReader.isKeywordName(name)) {
      out.append(':').append(name);
    } else {
      appendString(out, name);
    }
  }

  /** Appends one value; see {@link Op} for the types it takes. */
  public static void appendValue(StringBuilder out, Object v) {
    if (v == null) {
      out.append("nil");
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof String s) {
      appendString(out, s);
    } else if (v instanceof Keyword k) {
      checkName(EdnReader.isKeywordName(k.name()), "keyword", k.name());
      out.append(':').append(k.name());
    } else if (v instanceof Collection<?> c) {
      appendCollection(out, c);
    } else if (v instanceof Map<?, ?> m) {
      appendMap(out, m);
    } else {
      appendScalar(out, v);
    }
  }

  private static void appendScalar(StringBuilder out, Object v) {
    if (v instanceof BigInteger b) {
      out.append(b).append('N');
    } else if (v instanceof BigDecimal d) {
      out.append(d.toString()).append('M');
    } else if (v instanceof Double || v instanceof Float) {
      appendDouble(out, ((Number) v).doubleValue());
    } else if (v instanceof Symbol s) {
      checkName(s.name().equals("/") || EdnReader.isSymbolName(s.name()), "symbol", s.name());
      out.append(s.name());
    } else if (v instanceof Character ch) {
      appendChar(out, ch);
    } else if (v instanceof Tagged t) {
      checkName(EdnReader.isSymbolName(t.tag()), "tag", t.tag());
      out.append('#').append(t.tag()).append(' ');
      appendValue(out, t.value());
    } else {
      throw new IllegalArgumentException("no EDN form for a value of " + v.getClass().getName());
    }
  }

  private static void checkName(boolean ok, String what, String name) {
    if (!ok) {
      throw new IllegalArgumentException("'" + name + "' cannot be written as an EDN " + what);
    }
  }

  private static void appendCollection(StringBuilder out, Collection<?> c) {
    String open = c instanceof EdnList ? "(" : c instanceof Set ? "#{" : c instanceof List ? "[" : null;
    if (open == null) {
      throw new IllegalArgumentException("no EDN form for a collection of " + c.getClass().getName());
    }
    out.append(open);
    Iterator<?> it = c.iterator();
    while (it.hasNext()) {
      appendValue(out, it.next());
      if (it.hasNext()) {
        out.append(' ');
      }
    }
    out.append(c instanceof EdnList ? ')' : c instanceof Set ? '}' : ']');
  }

  private static void appendMap(StringBuilder out, Map<?, ?> m) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      appendValue(out, e.getKey());
      out.append(' ');
      appendValue(out, e.getValue());
    }
    out.append('}');
  }

  private static void appendDouble(StringBuilder out, double d) {
    if (Double.isNaN(d)) {
      out.append("##NaN");
    } else if (Double.isInfinite(d)) {
      out.append(d > 0 ? "##Inf" : "##-Inf");
    } else {
      out.append(d);
    }
  }

  private static void appendChar(StringBuilder out, char ch) {
    out.append('\\');
    switch (ch) {
      case '\n' -> out.append("newline");
      case ' ' -> out.append("space");
      case '\t' -> out.append("tab");
      case '\r' -> out.append("return");
      case '\f' -> out.append("formfeed");
      case '\b' -> out.append("backspace");
      default -> {
        if (Character.isISOControl(ch) || Character.isWhitespace(ch) || Character.isSurrogate(ch)) {
          out.append(String.format("u%04x", (int) ch));
        } else {
          out.append(ch);
        }
      }
    }
  }

  private static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        case '\f' -> out.append("\\f");
        case '\b' -> out.append("\\b");
        default -> out.append(ch);
      }
    }
    out.append('"');
  }
}
