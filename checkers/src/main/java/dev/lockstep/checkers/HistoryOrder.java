package dev.lockstep.checkers;

import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which a history's ops are checked: by {@code index} when every op has one (else
 * as the file lists them), or by {@code time} (ops without a time keep their place relative to
 * each other; the sort is stable).
 */
public enum HistoryOrder {
  INDEX,
  TIME;

  public List<Op> apply(List<Op> ops) {
    List<Op> sorted = new ArrayList<>(ops);
    if (this == TIME) {
      if (ops.stream().allMatch(Op::hasTime)) {
        sorted.sort(Comparator.comparingLong(Op::time));
      }
    } else if (ops.stream().allMatch(Op::hasIndex)) {
      sorted.sort(Comparator.comparingLong(Op::index));
    }
    return sorted;
  }
}
