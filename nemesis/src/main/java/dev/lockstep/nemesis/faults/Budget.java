package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.process.ManagedProcess;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * FT's promise is to survive one failure at a time (paper §2.3). A copy of the cluster's state is a
 * node that is alive and has taken its role since it last started (a backup that finished its join);
 * a paused copy is still one. Unless double failures are allowed, a kill that would leave no other
 * copy, or a pause of the only copy, spares that node, and the op's value names it under
 * {@code spared}; with double failures allowed it goes ahead and the value names it under
 * {@code only-copy}, so the run can report a cluster that stays down after it as beyond the promise.
 */
final class Budget {
  /** The op value key of the nodes a fault spared to keep a copy. */
  static final String SPARED = "spared";
  /** The op value key of the nodes a fault took while they held the only copy. */
  static final String ONLY_COPY = "only-copy";

  private final Cluster cluster;
  private final boolean doubleFailures;

  Budget(Cluster cluster, boolean doubleFailures) {
    this.cluster = cluster;
    this.doubleFailures = doubleFailures;
  }

  boolean doubleFailures() {
    return doubleFailures;
  }

  /** SIGKILLs those of {@code ids} the budget allows; returns them and notes the others in {@code value}. */
  List<String> kill(Map<String, Object> value, List<String> ids) {
    Set<String> copies = copies();
    List<String> hit = new ArrayList<>();
    for (String id : ids) {
      boolean isCopy = copies.contains(id);
      boolean other = copies.stream().anyMatch(c -> !c.equals(id));
      if (!isCopy || other || decideBeyond(value, id)) {
        cluster.process(id).kill();
        copies.remove(id);
        hit.add(id);
      }
    }
    return hit;
  }

  /** SIGSTOPs those of {@code ids} the budget allows (never the only copy); returns them. */
  List<String> pause(Map<String, Object> value, List<String> ids) {
    Set<String> copies = copies();
    List<String> hit = new ArrayList<>();
    for (String id : ids) {
      boolean only = copies.size() == 1 && copies.contains(id);
      if (!only || decideBeyond(value, id)) {
        cluster.process(id).pause();
        hit.add(id);
      }
    }
    return hit;
  }

  /** Records a fault on the only copy: allowed (only-copy) or spared. */
  private boolean decideBeyond(Map<String, Object> value, String id) {
    String key = doubleFailures ? ONLY_COPY : SPARED;
    @SuppressWarnings("unchecked")
    List<String> list = (List<String>) value.computeIfAbsent(key, k -> new ArrayList<String>());
    list.add(id);
    return doubleFailures;
  }

  /** The nodes that hold a copy of the state now. */
  Set<String> copies() {
    Set<String> copies = new LinkedHashSet<>();
    for (String id : cluster.nodes()) {
      ManagedProcess p = cluster.process(id);
      if (p.isAlive() && cluster.joined(id)) {
        copies.add(id);
      }
    }
    return copies;
  }
}
