package dev.lockstep.checkers.continuity;

import dev.lockstep.histories.events.NodeEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Go-live invariants one run always shows when they break: a node takes the primary role of epoch e
 * only after its own test-and-set for e was won, and one epoch has one winner.
 */
final class EpochAudit {
  private EpochAudit() {}

  /** Primary role records of an epoch the node had not won before, in its own log order. */
  static List<Map<String, Object>> primaryWithoutWin(List<NodeEvent> events) {
    Set<String> won = new HashSet<>();
    List<Map<String, Object>> out = new ArrayList<>();
    for (NodeEvent e : events) {
      if (e instanceof NodeEvent.GoLive g && NodeEvent.GoLive.WON.equals(g.result())) {
        won.add(g.node() + "@" + g.epoch());
      } else if (e instanceof NodeEvent.RoleChange r && NodeEvent.RoleChange.PRIMARY.equals(r.role())
          && !won.contains(r.node() + "@" + r.epoch())) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("node", r.node());
        f.put("epoch", r.epoch());
        f.put("time-ns", r.time());
        out.add(f);
      }
    }
    return out;
  }

  /** Epochs whose go-live more than one node won. */
  static List<Map<String, Object>> twoWinners(List<NodeEvent> events) {
    Map<Long, TreeSet<String>> winners = new TreeMap<>();
    for (NodeEvent e : events) {
      if (e instanceof NodeEvent.GoLive g && NodeEvent.GoLive.WON.equals(g.result())) {
        winners.computeIfAbsent(g.epoch(), k -> new TreeSet<>()).add(g.node());
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    winners.forEach((epoch, nodes) -> {
      if (nodes.size() > 1) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("epoch", epoch);
        f.put("winners", List.copyOf(nodes));
        out.add(f);
      }
    });
    return out;
  }
}
