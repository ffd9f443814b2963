package dev.lockstep.checkers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one checker concluded about one run, with the evidence a person needs to believe it.
 *
 * <p>{@code evidence} holds only JSON-able values: null, Boolean, Number, String, List and Map with
 * String keys. It is never null.
 */
public record Result(String checker, Verdict verdict, Map<String, Object> evidence) {

  public Result {
    java.util.Objects.requireNonNull(checker, "checker");
    java.util.Objects.requireNonNull(verdict, "verdict");
    evidence = evidence == null ? Map.of() : evidence;
  }

  public static Result of(String checker, Verdict verdict, Map<String, Object> evidence) {
    return new Result(checker, verdict, evidence);
  }

  /** An {@code unknown} result explaining why no verdict could be reached. */
  public static Result unknown(String checker, String reason) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("reason", reason);
    return new Result(checker, Verdict.UNKNOWN, evidence);
  }

  /** This result as a map: {@code {checker, valid, ...evidence}}. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("checker", checker);
    map.put("valid", verdict.label());
    map.putAll(evidence);
    return map;
  }
}
