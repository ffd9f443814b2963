package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.NemesisOp;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads fault parameters from an op's plain map value, naming the op and key on a bad value. */
final class Values {
  private Values() {}

  static Map<String, Object> map(NemesisOp op) {
    if (op.value() == null) {
      return Map.of();
    }
    if (!(op.value() instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("op " + op.f() + ": value must be a map, got " + op.value());
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    m.forEach((k, v) -> copy.put(String.valueOf(k), v));
    return copy;
  }

  static String string(NemesisOp op, Map<String, Object> value, String key) {
    Object v = value.get(key);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("op " + op.f() + ": value needs string '" + key + "', got " + v);
    }
    return s;
  }

  static long number(NemesisOp op, Map<String, Object> value, String key) {
    Object v = value.get(key);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("op " + op.f() + ": value needs number '" + key + "', got " + v);
    }
    return n.longValue();
  }

  /** The value with the concrete ids the fault hit, under {@code nodes}. */
  static Map<String, Object> withNodes(Map<String, Object> value, List<String> ids) {
    Map<String, Object> done = new LinkedHashMap<>(value);
    done.put("nodes", List.copyOf(ids));
    return Collections.unmodifiableMap(done);
  }
}
