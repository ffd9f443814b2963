package dev.lockstep.checkers.events;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Checker;
import dev.lockstep.checkers.Result;
import dev.lockstep.histories.events.NodeEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * At most one node releases output in any epoch; no two nodes release output without a backup's
 * acknowledgement at overlapping times (each node's unacknowledged releases in an epoch span an
 * interval from the first to the last); and a node's epochs, in the order it logged them, never go
 * down. Evidence: the epochs with several releasing nodes, the overlapping intervals, the drops.
 */
public final class SplitBrainChecker implements Checker {
  public static final String NAME = "split-brain";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result check(CheckInput input) {
    Map<String, List<Map<String, Object>>> findings = new LinkedHashMap<>();
    findings.put("epochs-with-several-releasing-nodes", epochsWithTwoReleasers(input.outputs()));
    findings.put("overlapping-unacked-intervals", overlappingUnackedIntervals(input.outputs()));
    findings.put("epoch-drops", epochDrops(input.events()));
    return OutputFindings.result(NAME, input.outputs().size(), findings);
  }

  static List<Map<String, Object>> epochsWithTwoReleasers(List<NodeEvent.Output> outputs) {
    Map<Long, TreeSet<String>> nodes = new TreeMap<>();
    for (NodeEvent.Output o : outputs) {
      nodes.computeIfAbsent(o.epoch(), k -> new TreeSet<>()).add(o.node());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    nodes.forEach((epoch, who) -> {
      if (who.size() > 1) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("epoch", epoch);
        entry.put("nodes", new ArrayList<>(who));
        out.add(entry);
      }
    });
    return out;
  }

  /** One node's unacknowledged releases in one epoch, from the first to the last. */
  record Interval(String node, long epoch, long from, long to, int outputs) {
    Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("node", node);
      map.put("epoch", epoch);
      map.put("from", from);
      map.put("to", to);
      map.put("outputs", outputs);
      return map;
    }
  }

  static List<Map<String, Object>> overlappingUnackedIntervals(List<NodeEvent.Output> outputs) {
    Map<List<Object>, Interval> spans = new LinkedHashMap<>();
    for (NodeEvent.Output o : outputs) {
      if (o.acked()) {
        continue;
      }
      spans.merge(List.of(o.node(), o.epoch()), new Interval(o.node(), o.epoch(), o.time(), o.time(), 1),
          (a, b) -> new Interval(a.node(), a.epoch(), Math.min(a.from(), b.from()), Math.max(a.to(), b.to()), a.outputs() + 1));
    }
    List<Interval> all = new ArrayList<>(spans.values());
    all.sort((a, b) -> Long.compare(a.from(), b.from()));
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size() && all.get(j).from() <= all.get(i).to(); j++) {
        if (!all.get(i).node().equals(all.get(j).node())) {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("a", all.get(i).toMap());
          entry.put("b", all.get(j).toMap());
          out.add(entry);
        }
      }
    }
    return out;
  }

  static List<Map<String, Object>> epochDrops(List<NodeEvent> events) {
    Map<String, Long> last = new HashMap<>();
    List<Map<String, Object>> out = new ArrayList<>();
    for (NodeEvent e : events) {
      long epoch;
      long time;
      if (e instanceof NodeEvent.Output o) {
        epoch = o.epoch();
        time = o.time();
      } else if (e instanceof NodeEvent.RoleChange r) {
        epoch = r.epoch();
        time = r.time();
      } else {
        continue;
      }
      Long before = last.put(e.node(), epoch);
      if (before != null && epoch < before) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("node", e.node());
        entry.put("from-epoch", before);
        entry.put("to-epoch", epoch);
        entry.put("time", time);
        out.add(entry);
        last.put(e.node(), before);
      }
    }
    return out;
  }
}
