package dev.lockstep.checkers.linear;

import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.List;

/** Builds small histories in tests, indexing ops in the order they are added. */
final class Hist {
  private final List<Op> ops = new ArrayList<>();

  static Hist of() {
    return new Hist();
  }

  Hist invoke(long process, String f, Object value) {
    return add(Op.Type.INVOKE, process, f, value, null);
  }

  Hist ok(long process, String f, Object value) {
    return add(Op.Type.OK, process, f, value, null);
  }

  Hist fail(long process, String f, Object value) {
    return add(Op.Type.FAIL, process, f, value, null);
  }

  Hist info(long process, String f, Object value) {
    return add(Op.Type.INFO, process, f, value, null);
  }

  Hist invoke(long process, String f, Object value, Object key) {
    return add(Op.Type.INVOKE, process, f, value, key);
  }

  Hist ok(long process, String f, Object value, Object key) {
    return add(Op.Type.OK, process, f, value, key);
  }

  Hist info(long process, String f, Object value, Object key) {
    return add(Op.Type.INFO, process, f, value, key);
  }

  Hist nemesis(String f) {
    ops.add(new Op(ops.size(), Op.Type.INFO, f, null, Op.NEMESIS, ops.size() * 1000L, null, null, null));
    return this;
  }

  private Hist add(Op.Type type, long process, String f, Object value, Object key) {
    ops.add(new Op(ops.size(), type, f, value, process, ops.size() * 1000L, null, key, null));
    return this;
  }

  List<Op> ops() {
    return List.copyOf(ops);
  }

  static List<Object> l(Object... values) {
    return java.util.Arrays.asList(values);
  }
}
