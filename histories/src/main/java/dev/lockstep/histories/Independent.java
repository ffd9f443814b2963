package dev.lockstep.histories;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jepsen's independent keys: in a multi-key history a client op's value is a tuple {@code [k v]}
 * (printed as a two-element vector). Splitting moves {@code k} into {@link Op#key()} and leaves
 * {@code v} as the value; joining reverses it.
 */
public final class Independent {
  private Independent() {}

  /** True when {@code value} is a two-element list, the shape of a tuple. */
  public static boolean isTuple(Object value) {
    return value instanceof List<?> l && l.size() == 2;
  }

  /**
   * The op with its tuple value split into key and value. A nemesis op, or an op whose value is not
   * a tuple, comes back unchanged.
   */
  public static Op split(Op op) {
    if (op.isNemesis() || !isTuple(op.value())) {
      return op;
    }
    List<?> tuple = (List<?>) op.value();
    return new Op(op.index(), op.type(), op.f(), tuple.get(1), op.process(), op.time(), op.error(), tuple.get(0), op.extra());
  }

  /** Every op split; see {@link #split}. */
  public static List<Op> splitAll(List<Op> ops) {
    List<Op> out = new ArrayList<>(ops.size());
    for (Op op : ops) {
      out.add(split(op));
    }
    return out;
  }

  /**
   * The client ops grouped by key, each group in history order; splits tuples first. Ops with no
   * key (nemesis ops, single-key ops) are left out.
   */
  public static Map<Object, List<Op>> byKey(List<Op> ops) {
    Map<Object, List<Op>> groups = new LinkedHashMap<>();
    for (Op op : ops) {
      Op s = split(op);
      if (s.key() != null && s.isClient()) {
        groups.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
      }
    }
    return groups;
  }

  /** The op with its key folded back into a {@code [k v]} tuple value; unchanged without a key. */
  public static Op join(Op op) {
    if (op.key() == null) {
      return op;
    }
    List<Object> tuple = new ArrayList<>(2);
    tuple.add(op.key());
    tuple.add(op.value());
    return new Op(op.index(), op.type(), op.f(), java.util.Collections.unmodifiableList(tuple), op.process(), op.time(), op.error(), null, op.extra());
  }
}
