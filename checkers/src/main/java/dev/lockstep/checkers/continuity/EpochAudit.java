package dev.lockstep.checkers.continuity;

import dev.lockstep.histories.events.NodeEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Go-live invariants one run always shows when they break: a node acts as primary of epoch e (takes
 * the role, or releases an output in e) only after its own test-and-set for e was won; the epoch a
 * node acts in never goes back; and one epoch has one win.
 */
final class EpochAudit {
  private EpochAudit() {}

  /**
   * Primary role records and outputs of an epoch the node had not won before, in its own log order;
   * the outputs of one node and epoch as one finding (the first, and how many).
   */
  static List<Map<String, Object>> primaryWithoutWin(List<NodeEvent> events) {
    Set<String> won = new HashSet<>();
    List<Map<String, Object>> out = new ArrayList<>();
    Map<String, Map<String, Object>> outputs = new HashMap<>();
    for (NodeEvent e : events) {
      if (e instanceof NodeEvent.GoLive g && NodeEvent.GoLive.WON.equals(g.result())) {
        won.add(g.node() + "@" + g.epoch());
      } else if (e instanceof NodeEvent.RoleChange r && NodeEvent.RoleChange.PRIMARY.equals(r.role())
          && !won.contains(r.node() + "@" + r.epoch())) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("node", r.node());
        f.put("epoch", r.epoch());
        f.put("record", "role primary");
        f.put("time-ns", r.time());
        out.add(f);
      } else if (e instanceof NodeEvent.Output o && !won.contains(o.node() + "@" + o.epoch())) {
        Map<String, Object> f = outputs.computeIfAbsent(o.node() + "@" + o.epoch(), k -> {
          Map<String, Object> first = AckAudit.release(o);
          first.put("record", "output");
          first.put("outputs", 0);
          out.add(first);
          return first;
        });
        f.put("outputs", (Integer) f.get("outputs") + 1);
      }
    }
    return out;
  }

  /**
   * Records in one node's log that act in an older epoch than one before them (its roles, won go-lives
   * and outputs): the first per node. A backup's state hashes are left out: while it catches up after
   * its win it still replays the old primary's epoch.
   */
  static List<Map<String, Object>> epochsGoingBack(List<NodeEvent> events) {
    Map<String, Long> highest = new HashMap<>();
    Set<String> found = new HashSet<>();
    List<Map<String, Object>> out = new ArrayList<>();
    for (NodeEvent e : events) {
      long epoch;
      long time;
      if (e instanceof NodeEvent.RoleChange r) {
        epoch = r.epoch();
        time = r.time();
      } else if (e instanceof NodeEvent.GoLive g && NodeEvent.GoLive.WON.equals(g.result())) {
        epoch = g.epoch();
        time = g.time();
      } else if (e instanceof NodeEvent.Output o) {
        epoch = o.epoch();
        time = o.time();
      } else {
        continue;
      }
      Long before = highest.get(e.node());
      if (before != null && epoch < before && found.add(e.node())) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("node", e.node());
        f.put("epoch-before", before);
        f.put("epoch", epoch);
        f.put("record", e.type());
        f.put("time-ns", time);
        out.add(f);
      }
      highest.merge(e.node(), epoch, Math::max);
    }
    return out;
  }

  /** Epochs won more than once: by two nodes, or twice by one. */
  static List<Map<String, Object>> twoWinners(List<NodeEvent> events) {
    Map<Long, List<String>> winners = new TreeMap<>();
    for (NodeEvent e : events) {
      if (e instanceof NodeEvent.GoLive g && NodeEvent.GoLive.WON.equals(g.result())) {
        winners.computeIfAbsent(g.epoch(), k -> new ArrayList<>()).add(g.node());
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    winners.forEach((epoch, nodes) -> {
      if (nodes.size() > 1) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("epoch", epoch);
        f.put("winners", nodes.stream().sorted().toList());
        out.add(f);
      }
    });
    return out;
  }
}
