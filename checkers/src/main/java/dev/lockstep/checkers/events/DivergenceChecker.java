package dev.lockstep.checkers.events;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Checker;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.events.NodeEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Nodes in lockstep report equal state hashes at equal icounts. Evidence: the first icount where
 * two reports differ, with every node's hash there; else how many icounts were compared.
 */
public final class DivergenceChecker implements Checker {
  public static final String NAME = "divergence";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result check(CheckInput input) {
    TreeMap<Long, Map<String, String>> byIcount = new TreeMap<>();
    Long first = null;
    for (NodeEvent.StateHash h : input.stateHashes()) {
      Map<String, String> hashes = byIcount.computeIfAbsent(h.icount(), k -> new LinkedHashMap<>());
      String previous = hashes.putIfAbsent(h.node(), h.hash());
      boolean differs = (previous != null && !previous.equals(h.hash()))
          || hashes.values().stream().anyMatch(other -> !other.equals(h.hash()));
      if (differs && (first == null || h.icount() < first)) {
        first = h.icount();
      }
    }
    long compared = byIcount.values().stream().filter(m -> m.size() > 1).count();
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("state-hashes", input.stateHashes().size());
    evidence.put("icounts-compared", compared);
    if (first == null) {
      return Result.of(NAME, Verdict.TRUE, evidence);
    }
    evidence.put("first-divergent-icount", first);
    Map<String, Object> hashes = new LinkedHashMap<>();
    for (NodeEvent.StateHash h : input.stateHashes()) {
      if (h.icount() == first) {
        hashes.merge(h.node(), h.hash(), (a, b) -> a.equals(b) ? a : a + "," + b);
      }
    }
    evidence.put("hashes", hashes);
    return Result.of(NAME, Verdict.FALSE, evidence);
  }
}
