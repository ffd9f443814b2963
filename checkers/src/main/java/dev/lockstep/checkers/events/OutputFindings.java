package dev.lockstep.checkers.events;

import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict of a checker over released outputs that looks for several kinds of finding: false
 * when any kind has one. The evidence counts the outputs read and lists each kind's findings, the
 * first {@link #SHOWN_MAX} of them.
 */
final class OutputFindings {
  static final int SHOWN_MAX = 20;

  private OutputFindings() {}

  /** @param findings each kind's findings by its evidence name, in the order they are shown */
  static Result result(String checker, int outputs, Map<String, List<Map<String, Object>>> findings) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("outputs", outputs);
    boolean ok = true;
    for (Map.Entry<String, List<Map<String, Object>>> kind : findings.entrySet()) {
      List<Map<String, Object>> list = kind.getValue();
      evidence.put(kind.getKey(), list.size() <= SHOWN_MAX ? list : list.subList(0, SHOWN_MAX));
      ok &= list.isEmpty();
    }
    return Result.of(checker, ok ? Verdict.TRUE : Verdict.FALSE, evidence);
  }
}
