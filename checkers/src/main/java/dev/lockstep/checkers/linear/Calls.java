package dev.lockstep.checkers.linear;

import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pairs a history's invocations with their completions and decodes what each call does. */
final class Calls {
  private static final int PROCESSES_FIRST = 16;
  /** Client processes {@code 0..DIRECT_PROCESSES-1} are numbered without hashing. */
  private static final int DIRECT_PROCESSES = 1 << 10;
  /** In the ends array: no call is invoked at this position; else the end's position plus the offset. */
  private static final int NO_CALL = 0;
  private static final int END_OFFSET = 2;
  private Calls() {}

  /** The model the ops' {@code f}s imply: appends, locks, cas, else a register; keyed if ops have keys. */
  static Model infer(List<Op> history) {
    boolean cas = false;
    boolean keys = false;
    for (Op op : history) {
      if (op.isNemesis()) {
        continue;
      }
      OpKind kind = OpKind.of(op.f());
      if (kind == OpKind.APPEND) {
        return Model.LIST_APPEND;
      }
      if (kind == OpKind.ACQUIRE || kind == OpKind.RELEASE) {
        return Model.MUTEX;
      }
      cas |= kind == OpKind.CAS;
      keys |= op.key() != null;
    }
    if (keys) {
      return Model.KV;
    }
    return cas ? Model.CAS_REGISTER : Model.REGISTER;
  }

  /**
   * The calls of {@code history} that can matter: failed calls (which did not happen), crashed reads
   * (which constrain nothing) and nemesis ops are left out.
   */
  static List<Call> pair(List<Op> history, Model model) {
    // TRICKY: calls are found in completion order but wanted in invocation order, so each
    // completion's position is noted at its invocation's position and the positions are read in
    // order: no sort. An int array, not one of calls: a big reference array is costly to G1 (see
    // OpList). Each call is checked where it is found, so errors come in the same order as ever.
    int[] ends = new int[history.size()];
    Processes slots = new Processes();
    int[] open = new int[PROCESSES_FIRST];
    for (int pos = 0; pos < history.size(); pos++) {
      Op op = history.get(pos);
      if (op.process() == null || op.isNemesis()) {
        continue;
      }
      int count = slots.count();
      int slot = slots.slotOf(op.process());
      if (slot == count) {
        open = slot < open.length ? open : Arrays.copyOf(open, open.length * 2);
        open[slot] = -1;
      }
      int inv = open[slot];
      if (op.type() == Op.Type.INVOKE) {
        open[slot] = pos;
        if (inv >= 0) {
          // A process that invokes again without completing: its previous call is crashed.
          note(ends, history, inv, -1, model);
        }
        continue;
      }
      if (inv < 0) {
        throw new HistoryException(
            "op " + describe(op, pos) + " completes nothing: process " + op.process() + " has no open invocation");
      }
      open[slot] = -1;
      if (op.type() != Op.Type.FAIL) {
        note(ends, history, inv, op.type() == Op.Type.INFO ? -1 : pos, model);
      }
    }
    for (int slot = 0; slot < slots.count(); slot++) {
      if (open[slot] >= 0) {
        note(ends, history, open[slot], -1, model);
      }
    }
    List<Call> calls = new ArrayList<>(history.size() / 2 + 1);
    for (int inv = 0; inv < ends.length; inv++) {
      if (ends[inv] != NO_CALL) {
        Call c = call(history, inv, ends[inv] - END_OFFSET, model);
        if (c != null) {
          calls.add(c);
        }
      }
    }
    return calls;
  }

  /** Marks in {@code ends} that {@code inv} is a call ending at {@code done} (-1: crashed). */
  private static void note(int[] ends, List<Op> history, int inv, int done, Model model) {
    Op invoke = history.get(inv);
    OpKind kind = OpKind.of(invoke.f());
    if (kind == null || !model.supports(kind)) {
      throw new HistoryException(
          "op " + describe(invoke, inv) + " has f=" + invoke.f() + ", which model " + model.label() + " does not know");
    }
    if (done < 0 && kind == OpKind.READ) {
      return;
    }
    Op completion = done < 0 ? null : history.get(done);
    Object key = invoke.key() != null ? invoke.key() : completion == null ? null : completion.key();
    if (key == null && model.keyed() && !(invoke.value() instanceof List<?> tuple && tuple.size() == 2)) {
      throw new HistoryException(
          "op " + describe(invoke, inv) + " has no key and its value is not an independent [k v] tuple");
    }
    ends[inv] = done + END_OFFSET;
  }

  private static Call call(List<Op> history, int inv, int done, Model model) {
    Op invoke = history.get(inv);
    Op completion = done < 0 ? null : history.get(done);
    OpKind kind = OpKind.of(invoke.f());
    boolean crashed = completion == null;
    Object key = invoke.key() != null ? invoke.key() : completion == null ? null : completion.key();
    Object value = crashed || completion.value() == null ? invoke.value() : completion.value();
    if (key == null && model.keyed()) {
      List<?> tuple = (List<?>) invoke.value();
      key = tuple.get(0);
      value = value instanceof List<?> t && t.size() == 2 ? t.get(1) : value;
    }
    return new Call(invoke, completion, inv, done, kind, key, value, crashed);
  }

  /**
   * Numbers processes from 0 in order of first appearance. TRICKY: client processes are nearly
   * always small longs, looked up in an array; a hash lookup per op was a good part of pairing.
   */
  private static final class Processes {
    private final int[] direct = new int[DIRECT_PROCESSES];
    private final Map<Object, Integer> others = new HashMap<>();
    private int count;

    Processes() {
      Arrays.fill(direct, -1);
    }

    int count() {
      return count;
    }

    /** The slot of {@code process}: {@link #count()} before the call for a new process. */
    int slotOf(Object process) {
      if (process instanceof Long n && n >= 0 && n < DIRECT_PROCESSES) {
        int i = (int) (long) n;
        if (direct[i] < 0) {
          direct[i] = count++;
        }
        return direct[i];
      }
      Integer known = others.get(process);
      if (known == null) {
        known = count++;
        others.put(process, known);
      }
      return known;
    }
  }

  static String describe(Op op, int pos) {
    return op.hasIndex() ? "index " + op.index() : "#" + pos;
  }
}
