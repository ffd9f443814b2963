package dev.lockstep.checkers.linear;

import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A deliberately naive linearizability checker for small histories: it tries every order of every
 * subset of crashed calls, straight from the ops, sharing no code with the real checker.
 */
final class BruteForce {
  private record C(String f, Object key, Object value, int inv, int ret, boolean crashed) {}

  private BruteForce() {}

  static boolean linearizable(List<Op> history, String model, Object init, boolean knossosNil) {
    List<C> calls = new ArrayList<>();
    Map<Object, Integer> open = new HashMap<>();
    for (int i = 0; i < history.size(); i++) {
      Op op = history.get(i);
      if (op.isNemesis()) {
        continue;
      }
      if (op.type() == Op.Type.INVOKE) {
        open.put(op.process(), i);
        continue;
      }
      int inv = open.remove(op.process());
      Op in = history.get(inv);
      if (op.type() == Op.Type.OK) {
        Object value = op.value() != null ? op.value() : in.value();
        calls.add(new C(in.f(), in.key(), value, inv, i, false));
      } else if (op.type() == Op.Type.INFO && !in.f().equals("read")) {
        calls.add(new C(in.f(), in.key(), in.value(), inv, Integer.MAX_VALUE, true));
      }
    }
    for (int inv : open.values()) {
      Op in = history.get(inv);
      if (!in.f().equals("read")) {
        calls.add(new C(in.f(), in.key(), in.value(), inv, Integer.MAX_VALUE, true));
      }
    }
    Map<Object, List<C>> byKey = new HashMap<>();
    for (C c : calls) {
      byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
    }
    for (List<C> keyCalls : byKey.values()) {
      Object start = switch (model) {
        case "list-append" -> init == null ? List.of() : init;
        case "mutex" -> false;
        case "porcupine-kv" -> init == null ? "" : init;
        case "multi-register" -> registerMap(keyCalls, init);
        default -> init;
      };
      if (!search(keyCalls, new boolean[keyCalls.size()], start, model, knossosNil)) {
        return false;
      }
    }
    return true;
  }

  private static boolean search(List<C> calls, boolean[] done, Object state, String model, boolean knossosNil) {
    boolean allOk = true;
    for (int i = 0; i < calls.size(); i++) {
      allOk &= done[i] || calls.get(i).crashed();
    }
    if (allOk) {
      return true;
    }
    for (int i = 0; i < calls.size(); i++) {
      if (done[i] || !minimal(calls, done, i)) {
        continue;
      }
      Object[] next = apply(calls.get(i), state, model, knossosNil);
      if (next == null) {
        continue;
      }
      done[i] = true;
      boolean found = search(calls, done, next[0], model, knossosNil);
      done[i] = false;
      if (found) {
        return true;
      }
    }
    return false;
  }

  /** No call still to place must come before call i in real time. */
  private static boolean minimal(List<C> calls, boolean[] done, int i) {
    for (int j = 0; j < calls.size(); j++) {
      if (!done[j] && j != i && calls.get(j).ret() < calls.get(i).inv()) {
        return false;
      }
    }
    return true;
  }

  /** Every key the transactions name, each with init (one value for all, or a map by key). */
  private static Map<Object, Object> registerMap(List<C> calls, Object init) {
    Map<Object, Object> state = new HashMap<>();
    for (C c : calls) {
      for (Object m : (List<?>) c.value()) {
        Object k = ((List<?>) m).get(1);
        state.put(k, init instanceof Map<?, ?> byKey ? byKey.get(k) : init);
      }
    }
    return state;
  }

  /** The state after the call, boxed in an array (null when the call cannot happen in that state). */
  private static Object[] apply(C c, Object state, String model, boolean knossosNil) {
    if (model.equals("porcupine-kv")) {
      return switch (c.f()) {
        case "get" -> (c.value() == null && knossosNil) || Objects.equals(c.value(), state) ? new Object[] {state} : null;
        case "put" -> new Object[] {c.value()};
        default -> new Object[] {(state == null ? "" : (String) state) + c.value()};
      };
    }
    if (c.f().equals("txn")) {
      Map<Object, Object> map = new HashMap<>((Map<?, ?>) state);
      for (Object o : (List<?>) c.value()) {
        List<?> m = (List<?>) o;
        String f = m.get(0).toString().replace(":", "");
        if (f.startsWith("r")) {
          if (m.get(2) != null && !Objects.equals(m.get(2), map.get(m.get(1)))) {
            return null;
          }
        } else {
          map.put(m.get(1), m.get(2));
        }
      }
      return new Object[] {map};
    }
    switch (c.f()) {
      case "read":
        if (model.equals("list-append")) {
          Object v = c.value() == null && !knossosNil ? List.of() : c.value();
          return v == null || v.equals(state) ? new Object[] {state} : null;
        }
        return (c.value() == null && knossosNil) || Objects.equals(c.value(), state) ? new Object[] {state} : null;
      case "write":
        return new Object[] {c.value()};
      case "cas":
        List<?> pair = (List<?>) c.value();
        return Objects.equals(pair.get(0), state) ? new Object[] {pair.get(1)} : null;
      case "append":
        List<Object> list = new ArrayList<>((List<?>) state);
        list.add(c.value());
        return new Object[] {list};
      case "acquire":
        return Boolean.FALSE.equals(state) ? new Object[] {true} : null;
      case "release":
        return Boolean.TRUE.equals(state) ? new Object[] {false} : null;
      default:
        throw new IllegalArgumentException(c.f());
    }
  }
}
