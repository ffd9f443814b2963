package dev.lockstep.checkers;

import dev.lockstep.histories.Keyword;
import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns model objects into the JSON-able values that {@link Result#evidence()} holds. */
public final class Evidence {
  private Evidence() {}

  /** An op as a map in Jepsen's field order, absent fields left out. */
  public static Map<String, Object> op(Op op) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (op.hasIndex()) {
      map.put("index", op.index());
    }
    map.put("type", op.type().label());
    map.put("f", op.f());
    map.put("value", value(op.value()));
    map.put("process", value(op.process()));
    if (op.time() != Op.ABSENT) {
      map.put("time", op.time());
    }
    if (op.key() != null) {
      map.put("key", value(op.key()));
    }
    if (op.error() != null) {
      map.put("error", value(op.error()));
    }
    return map;
  }

  /** A value with keywords as their names and lists copied, so it is plain JSON. */
  public static Object value(Object value) {
    if (value instanceof Keyword k) {
      return k.name();
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(value(v)));
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(value(k)), value(v)));
      return out;
    }
    if (value == null || value instanceof Boolean || value instanceof Number || value instanceof String) {
      return value;
    }
    return String.valueOf(value);
  }
}
