package dev.lockstep.harness.report;

import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a history into what the reports draw: client ops as spans from invocation to completion, and
 * nemesis faults as intervals from a family's first {@code start-X} to the next {@code stop-X} (or
 * {@code stop-all}, or the end of the history).
 */
public final class Spans {

  private Spans() {}

  public static List<OpSpan> ops(List<Op> history) {
    Map<Object, Op> open = new HashMap<>();
    Map<Op, OpSpan> spans = new LinkedHashMap<>();
    for (Op op : history) {
      if (op.isNemesis() || !op.hasTime()) {
        continue;
      }
      if (op.type() == Op.Type.INVOKE) {
        open.put(op.process(), op);
        spans.put(op, new OpSpan(processId(op), op.f(), "pending", op.time(), -1, render(op.value())));
      } else {
        Op invoke = open.remove(op.process());
        if (invoke != null) {
          Object value = op.value() != null ? op.value() : invoke.value();
          spans.put(invoke, new OpSpan(processId(op), op.f(), op.type().label(), invoke.time(), op.time(), render(value)));
        }
      }
    }
    return new ArrayList<>(spans.values());
  }

  public static List<FaultInterval> faults(List<Op> history, long endNanos) {
    Map<String, Op> open = new LinkedHashMap<>();
    List<FaultInterval> faults = new ArrayList<>();
    for (Op op : history) {
      if (!op.isNemesis() || op.f() == null || !op.hasTime()) {
        continue;
      }
      if (op.f().startsWith("start-")) {
        open.putIfAbsent(op.f().substring("start-".length()), op);
      } else if (op.f().equals("stop-all")) {
        open.forEach((family, start) -> faults.add(interval(family, start, op.time())));
        open.clear();
      } else if (op.f().startsWith("stop-")) {
        String family = op.f().substring("stop-".length());
        Op start = open.remove(family);
        if (start != null) {
          faults.add(interval(family, start, op.time()));
        }
      }
    }
    open.forEach((family, start) -> faults.add(interval(family, start, endNanos)));
    return faults;
  }

  /** The time of the last op, as the end of the run. */
  public static long end(List<Op> history) {
    return history.stream().filter(Op::hasTime).mapToLong(Op::time).max().orElse(0);
  }

  private static FaultInterval interval(String family, Op start, long end) {
    String detail = start.value() == null ? "" : " " + render(start.value());
    return new FaultInterval(family + detail, start.time(), end);
  }

  private static int processId(Op op) {
    return op.process() instanceof Number n ? n.intValue() : -1;
  }

  private static String render(Object value) {
    return value == null ? "nil" : String.valueOf(value);
  }
}
