package dev.lockstep.checkers.linear;

import dev.lockstep.checkers.Evidence;
import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why one key is not linearizable: the completed call no order could fit ({@code op}), the calls
 * concurrent with it, the model states the search had reached just before it, and the last calls
 * it had linearized on the way to the furthest point.
 */
public record Counterexample(
    Object key, String model, Call op, List<Call> concurrent, List<Object> states, List<Call> linearizedBefore) {

  /** As evidence: plain maps and lists. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("key", Evidence.value(key));
    map.put("op", callMap(op));
    map.put("states-before", states.stream().map(Evidence::value).toList());
    map.put("concurrent", concurrent.stream().map(Counterexample::callMap).toList());
    map.put("linearized-before", linearizedBefore.stream().map(Counterexample::callMap).toList());
    return map;
  }

  static Map<String, Object> callMap(Call call) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("invoke", Evidence.op(call.invoke()));
    map.put("completion", call.completion() == null ? null : Evidence.op(call.completion()));
    return map;
  }

  /** A few lines a person can read in a terminal. */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append("not linearizable (model ").append(model);
    if (key != null) {
      out.append(", key ").append(key);
    }
    out.append(")\n");
    out.append("  no order fits: ").append(describe(op)).append('\n');
    out.append("  states reachable just before: ").append(states).append('\n');
    out.append("  concurrent calls:\n");
    for (Call c : concurrent) {
      out.append("    ").append(describe(c)).append('\n');
    }
    out.append("  last calls linearized on the furthest path:\n");
    for (Call c : linearizedBefore) {
      out.append("    ").append(describe(c)).append('\n');
    }
    return out.toString();
  }

  static String describe(Call call) {
    Op inv = call.invoke();
    Op done = call.completion();
    String outcome = done == null ? "crashed" : done.type().label();
    return "process " + inv.process() + " " + inv.f() + " " + render(call.value()) + " -> " + outcome
        + "  [" + Calls.describe(inv, call.invokePos())
        + (done == null ? "" : " .. " + Calls.describe(done, call.completionPos())) + "]";
  }

  static String render(Object value) {
    return String.valueOf(Evidence.value(value));
  }

  /** The ids of a state, decoded back into values the history speaks of. */
  static Object stateValue(KeyProblem p, int state) {
    return switch (p.model) {
      case MUTEX -> state == 0 ? "free" : "held";
      case LIST_APPEND -> {
        List<Object> list = new ArrayList<>();
        for (int id : p.trie.elements(state)) {
          list.add(id == KeyProblem.UNOBSERVED ? "<unread element>" : p.values.get(id));
        }
        yield list;
      }
      case MULTI_REGISTER -> p.registerMaps.describe(state);
      case PORCUPINE_KV -> p.strings.value(state);
      default -> state == KeyProblem.UNOBSERVED ? "<a value no read observes>" : p.values.get(state);
    };
  }
}
