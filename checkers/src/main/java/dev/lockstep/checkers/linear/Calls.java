package dev.lockstep.checkers.linear;

import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Pairs a history's invocations with their completions and decodes what each call does. */
final class Calls {
  private static final int PROCESSES_FIRST = 16;
  /** Positions per chunk of the table of calls by invocation: well under half a G1 region. */
  private static final int CHUNK_CALLS = 1 << 15;
  private Calls() {}

  /**
   * The model the ops' {@code f}s imply: txns, locks, Porcupine's get/put/append, appends, cas,
   * else a register; keyed if ops have keys.
   */
  static Model infer(List<Op> history) {
    boolean cas = false;
    boolean keys = false;
    boolean getPut = false;
    boolean append = false;
    for (Op op : history) {
      if (op.isNemesis()) {
        continue;
      }
      OpKind kind = OpKind.of(op.f());
      if (kind == OpKind.TXN) {
        return Model.MULTI_REGISTER;
      }
      if (kind == OpKind.ACQUIRE || kind == OpKind.RELEASE) {
        return Model.MUTEX;
      }
      append |= kind == OpKind.APPEND;
      getPut |= "get".equals(op.f()) || "put".equals(op.f());
      cas |= kind == OpKind.CAS;
      keys |= op.key() != null;
    }
    if (append) {
      return getPut ? Model.PORCUPINE_KV : Model.LIST_APPEND;
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
    // TRICKY: calls are found in completion order but wanted in invocation order, so each is put at
    // its invocation's position and the positions are read in order: no sort. The table is in
    // chunks, not one big array of calls, which is costly to G1 (see OpList). A call is made where
    // its completion is found, while both of its ops are still in the cache.
    ByInvoke byInvoke = new ByInvoke(history.size());
    Numbering slots = new Numbering();
    int[] open = new int[PROCESSES_FIRST];
    for (int pos = 0; pos < history.size(); pos++) {
      Op op = history.get(pos);
      if (op.process() == null || op.isNemesis()) {
        continue;
      }
      int count = slots.count();
      int slot = slots.numberOf(op.process());
      if (slot == count) {
        open = slot < open.length ? open : Arrays.copyOf(open, open.length * 2);
        open[slot] = -1;
      }
      int inv = open[slot];
      if (op.type() == Op.Type.INVOKE) {
        open[slot] = pos;
        if (inv >= 0) {
          // A process that invokes again without completing: its previous call is crashed.
          add(byInvoke, history, inv, -1, model);
        }
        continue;
      }
      if (inv < 0) {
        throw new HistoryException(
            "op " + describe(op, pos) + " completes nothing: process " + op.process() + " has no open invocation");
      }
      open[slot] = -1;
      if (op.type() != Op.Type.FAIL) {
        add(byInvoke, history, inv, op.type() == Op.Type.INFO ? -1 : pos, model);
      }
    }
    for (int slot = 0; slot < slots.count(); slot++) {
      if (open[slot] >= 0) {
        add(byInvoke, history, open[slot], -1, model);
      }
    }
    return byInvoke.inOrder(history.size() / 2 + 1);
  }

  private static void add(ByInvoke byInvoke, List<Op> history, int inv, int done, Model model) {
    Op invoke = history.get(inv);
    Op completion = done < 0 ? null : history.get(done);
    OpKind kind = OpKind.of(invoke.f());
    if (kind == null || !model.supports(kind)) {
      throw new HistoryException(
          "op " + describe(invoke, inv) + " has f=" + invoke.f() + ", which model " + model.label() + " does not know");
    }
    boolean crashed = completion == null;
    if (crashed && kind == OpKind.READ) {
      return;
    }
    Object key = CanonicalValue.of(invoke.key() != null ? invoke.key() : completion == null ? null : completion.key());
    Object value = CanonicalValue.of(crashed || completion.value() == null ? invoke.value() : completion.value());
    if (key == null && model.keyed()) {
      if (!(invoke.value() instanceof List<?> tuple) || tuple.size() != 2) {
        throw new HistoryException(
            "op " + describe(invoke, inv) + " has no key and its value is not an independent [k v] tuple");
      }
      key = tuple.get(0);
      value = value instanceof List<?> t && t.size() == 2 ? t.get(1) : value;
    }
    byInvoke.put(inv, new Call(invoke, completion, inv, done, kind, key, value, crashed));
  }

  /** Calls by the position of their invocation, in chunks allocated as they are needed. */
  private static final class ByInvoke {
    private final Call[][] chunks;

    ByInvoke(int positions) {
      chunks = new Call[(positions + CHUNK_CALLS - 1) / CHUNK_CALLS][];
    }

    void put(int pos, Call call) {
      Call[] chunk = chunks[pos / CHUNK_CALLS];
      if (chunk == null) {
        chunk = new Call[CHUNK_CALLS];
        chunks[pos / CHUNK_CALLS] = chunk;
      }
      chunk[pos % CHUNK_CALLS] = call;
    }

    List<Call> inOrder(int expected) {
      List<Call> calls = new ArrayList<>(expected);
      for (Call[] chunk : chunks) {
        if (chunk != null) {
          for (Call c : chunk) {
            if (c != null) {
              calls.add(c);
            }
          }
        }
      }
      return calls;
    }
  }

  static String describe(Op op, int pos) {
    return op.hasIndex() ? "index " + op.index() : "#" + pos;
  }
}
