package dev.lockstep.checkers.events;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Checker;
import dev.lockstep.checkers.Evidence;
import dev.lockstep.checkers.Result;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.events.NodeEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * No client request takes effect twice, and two released outputs with one {@code outSeq} carry
 * the same bytes. Evidence comes from two places: a list-append read that holds an element more
 * than once, and the event logs (one request answered under two {@code outSeq}s, one {@code outSeq}
 * with two byte hashes).
 */
public final class DuplicateOutputChecker implements Checker {
  public static final String NAME = "duplicate-output";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result check(CheckInput input) {
    Map<String, List<Map<String, Object>>> findings = new LinkedHashMap<>();
    findings.put("duplicated-appends", duplicatedAppends(input.history()));
    findings.put("requests-with-two-effects", requestsWithTwoEffects(input.outputs()));
    findings.put("out-seqs-with-two-byte-hashes", outSeqsWithTwoHashes(input.outputs()));
    return OutputFindings.result(NAME, input.outputs().size(), findings);
  }

  /** Elements that an ok read of a list-append key holds more than once, with the count. */
  static List<Map<String, Object>> duplicatedAppends(List<Op> history) {
    Map<List<Object>, Map<String, Object>> found = new LinkedHashMap<>();
    for (Op op : history) {
      if (op.type() != Op.Type.OK || !"read".equals(op.f()) || op.isNemesis()) {
        continue;
      }
      Object key = op.key();
      Object value = op.value();
      if (key == null && value instanceof List<?> t && t.size() == 2 && t.get(1) instanceof List<?>) {
        key = t.get(0);
        value = t.get(1);
      }
      if (!(value instanceof List<?> list)) {
        continue;
      }
      Map<Object, Integer> counts = new HashMap<>();
      for (Object element : list) {
        counts.merge(element, 1, Integer::sum);
      }
      for (Map.Entry<Object, Integer> e : counts.entrySet()) {
        if (e.getValue() > 1) {
          List<Object> id = java.util.Arrays.asList(key, e.getKey());
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("key", Evidence.value(key));
          entry.put("element", Evidence.value(e.getKey()));
          entry.put("count", e.getValue());
          entry.put("read-index", op.hasIndex() ? op.index() : null);
          found.merge(id, entry, (old, now) -> (int) now.get("count") > (int) old.get("count") ? now : old);
        }
      }
    }
    return new ArrayList<>(found.values());
  }

  /** Requests {@code (clientId, reqSeq)} released under more than one {@code outSeq}. */
  static List<Map<String, Object>> requestsWithTwoEffects(List<NodeEvent.Output> outputs) {
    Map<List<Long>, TreeMap<Long, Integer>> byRequest = new LinkedHashMap<>();
    for (NodeEvent.Output o : outputs) {
      byRequest.computeIfAbsent(List.of(o.clientId(), o.reqSeq()), k -> new TreeMap<>()).merge(o.outSeq(), 1, Integer::sum);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    byRequest.forEach((request, seqs) -> {
      if (seqs.size() > 1) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("clientId", request.get(0));
        entry.put("reqSeq", request.get(1));
        entry.put("outSeq-counts", stringKeys(seqs));
        out.add(entry);
      }
    });
    return out;
  }

  /** Output sequence numbers released with different bytes. */
  static List<Map<String, Object>> outSeqsWithTwoHashes(List<NodeEvent.Output> outputs) {
    Map<Long, TreeMap<String, Integer>> bySeq = new TreeMap<>();
    for (NodeEvent.Output o : outputs) {
      bySeq.computeIfAbsent(o.outSeq(), k -> new TreeMap<>()).merge(o.bytesHash(), 1, Integer::sum);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    bySeq.forEach((seq, hashes) -> {
      if (hashes.size() > 1) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("outSeq", seq);
        entry.put("bytesHash-counts", stringKeys(hashes));
        out.add(entry);
      }
    });
    return out;
  }

  private static Map<String, Object> stringKeys(Map<?, Integer> counts) {
    Map<String, Object> out = new LinkedHashMap<>();
    counts.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }
}
