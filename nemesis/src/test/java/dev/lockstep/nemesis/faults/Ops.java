package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.NemesisOp;
import java.util.LinkedHashMap;
import java.util.Map;

/** Nemesis ops as the tests write them, and the values they resolve to. */
final class Ops {
  private Ops() {}

  /** The op {@code f} with the value {@code key1, value1, key2, value2, ...}, keys in that order. */
  static NemesisOp op(String f, Object... kv) {
    Map<String, Object> v = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      v.put((String) kv[i], kv[i + 1]);
    }
    return new NemesisOp(f, v);
  }

  /** One entry of what an op resolved to. */
  static Object get(NemesisOp done, String key) {
    return ((Map<?, ?>) done.value()).get(key);
  }
}
