package dev.lockstep.harness.store;

import dev.lockstep.harness.runner.RecordedOp;
import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runner's {@link RecordedOp} as a histories {@link Op}: process ids and integers become
 * {@link Long} (the histories model has no {@code Integer}), the nemesis becomes process {@code "nemesis"}.
 */
public final class OpConversion {

  private OpConversion() {}

  public static List<Op> toOps(List<RecordedOp> recorded) {
    List<Op> ops = new ArrayList<>(recorded.size());
    for (RecordedOp r : recorded) {
      ops.add(toOp(r));
    }
    return ops;
  }

  public static Op toOp(RecordedOp r) {
    Object process = r.nemesis() ? Op.NEMESIS : (Object) (long) r.process();
    Object key = r.key() == null ? null : (Object) (long) r.key();
    return new Op(r.index(), Op.Type.valueOf(r.type().toUpperCase(java.util.Locale.ROOT)), r.f(), widen(r.value()),
        process, r.time(), r.error(), key, Map.of());
  }

  /** Integers to longs, recursively through lists and maps. */
  static Object widen(Object value) {
    if (value instanceof Integer i) {
      return (long) i;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(widen(o));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), widen(v)));
      return out;
    }
    return value;
  }
}
