package dev.lockstep.checkers.events;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Checker;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
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
 * Nodes in lockstep report equal state hashes at equal icounts of the same epoch: a backup's
 * replayed hashes equal its primary's. Hashes of different epochs are never compared with each other:
 * after a failover an old primary that runs on (isolated, or waiting for ZooKeeper) is on another
 * branch of history than the node that went live in the next epoch, and the same icount there names
 * two different states. A hash whose log did not record its epoch is compared with every hash at its
 * icount, as before epochs were recorded.
 *
 * <p>A backup also checks lockstep itself as it replays (every output, input and state hash the
 * primary logged) and halts when that check fails, often before it logs a hash that differs. Such a
 * {@link NodeEvent.Divergence} record counts as a divergence on its own.
 *
 * <p>Evidence: the first icount where two reports of one epoch differ, with that epoch and every
 * node's hash there; the divergences nodes reported (how many, and the first few); and how many
 * (epoch, icount) points were compared and at how many icounts the histories of several epochs met.
 */
public final class DivergenceChecker implements Checker {
  public static final String NAME = "divergence";
  /** Reported divergences the evidence lists in full (the count covers all). */
  static final int REPORTED_SHOWN_MAX = 5;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result check(CheckInput input) {
    List<NodeEvent.StateHash> all = input.stateHashes();
    TreeMap<Long, List<NodeEvent.StateHash>> byIcount = new TreeMap<>();
    for (NodeEvent.StateHash h : all) {
      byIcount.computeIfAbsent(h.icount(), k -> new ArrayList<>()).add(h);
    }
    long compared = 0;
    long severalEpochs = 0;
    Point divergent = null;
    for (List<NodeEvent.StateHash> at : byIcount.values()) {
      List<Point> points = points(at);
      if (points.size() > 1) {
        severalEpochs++;
      }
      for (Point p : points) {
        if (p.nodes() > 1) {
          compared++;
        }
        if (divergent == null && p.differs()) {
          divergent = p;
        }
      }
    }
    List<NodeEvent.Divergence> reported = input.divergences();
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("state-hashes", all.size());
    evidence.put("state-hashes-without-epoch", all.stream().filter(h -> !h.hasEpoch()).count());
    evidence.put("icounts-compared", compared);
    evidence.put("icounts-on-several-epochs", severalEpochs);
    evidence.put("divergences-reported", reported.size());
    if (!reported.isEmpty()) {
      evidence.put("reported", reported.stream().limit(REPORTED_SHOWN_MAX).map(DivergenceChecker::plain).toList());
    }
    if (divergent == null) {
      return Result.of(NAME, reported.isEmpty() ? Verdict.TRUE : Verdict.FALSE, evidence);
    }
    evidence.put("first-divergent-icount", divergent.icount());
    if (divergent.epoch() != NodeEvent.StateHash.UNKNOWN_EPOCH) {
      evidence.put("epoch", divergent.epoch());
    }
    evidence.put("hashes", divergent.hashesByNode());
    Map<String, Object> roles = divergent.rolesByNode();
    if (!roles.isEmpty()) {
      evidence.put("roles", roles);
    }
    return Result.of(NAME, Verdict.FALSE, evidence);
  }

  private static Map<String, Object> plain(NodeEvent.Divergence d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", d.node());
    m.put("epoch", d.epoch());
    m.put("icount", d.icount());
    m.put("detail", d.detail());
    return m;
  }

  /**
   * The comparison points at one icount: one per epoch reported there, each with the hashes of that
   * epoch and every hash without epoch; a single point when no hash there has an epoch.
   */
  private static List<Point> points(List<NodeEvent.StateHash> at) {
    Set<Long> epochs = new TreeSet<>();
    List<NodeEvent.StateHash> unknown = new ArrayList<>();
    for (NodeEvent.StateHash h : at) {
      if (h.hasEpoch()) {
        epochs.add(h.epoch());
      } else {
        unknown.add(h);
      }
    }
    if (epochs.isEmpty()) {
      return List.of(new Point(at.get(0).icount(), NodeEvent.StateHash.UNKNOWN_EPOCH, unknown));
    }
    List<Point> points = new ArrayList<>();
    for (long e : epochs) {
      List<NodeEvent.StateHash> reports = new ArrayList<>(unknown);
      at.stream().filter(h -> h.epoch() == e).forEach(reports::add);
      points.add(new Point(at.get(0).icount(), e, reports));
    }
    return points;
  }

  /** The reports that must agree: one icount on the history of one epoch. */
  private record Point(long icount, long epoch, List<NodeEvent.StateHash> reports) {
    long nodes() {
      return reports.stream().map(NodeEvent.StateHash::node).distinct().count();
    }

    boolean differs() {
      Set<String> hashes = new HashSet<>();
      reports.forEach(h -> hashes.add(h.hash()));
      return hashes.size() > 1;
    }

    /** Node to hash; a node that reported two hashes here shows both, comma-separated. */
    Map<String, Object> hashesByNode() {
      Map<String, Object> m = new LinkedHashMap<>();
      for (NodeEvent.StateHash h : reports) {
        m.merge(h.node(), h.hash(), (a, b) -> a.equals(b) ? a : a + "," + b);
      }
      return m;
    }

    Map<String, Object> rolesByNode() {
      Map<String, Object> m = new LinkedHashMap<>();
      for (NodeEvent.StateHash h : reports) {
        if (h.role() != null) {
          m.merge(h.node(), h.role(), (a, b) -> a.equals(b) ? a : a + "," + b);
        }
      }
      return m;
    }
  }
}
