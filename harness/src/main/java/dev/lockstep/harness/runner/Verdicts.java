package dev.lockstep.harness.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The end of a run as printed: verdict, each checker's verdict and evidence, the run directory, the rerun command. */
public final class Verdicts {

  /** Evidence printed per checker at most; the full evidence is in results.json. */
  public static final int EVIDENCE_CHARS_MAX = 600;

  private static final ObjectMapper JSON = new ObjectMapper();

  private Verdicts() {}

  public static void print(PrintStream out, RunOutcome o) {
    out.printf(Locale.ROOT, "%n%s: %d ops in %.1f s%n", o.settings().testName(), o.ops(), o.seconds());
    for (Result r : o.results()) {
      out.printf(Locale.ROOT, "  %-16s %s", r.checker(), r.verdict().label());
      if (r.verdict() != Verdict.TRUE || r.checker().equals(Liveness.CHECKER)) {
        out.print("  " + evidence(r));
      }
      out.println();
    }
    out.println("valid? " + o.verdict().label() + "  " + describe(o.verdict()));
    out.println("run directory: " + o.runDirectory());
    out.println("report: " + o.runDirectory().resolve("index.html"));
    java.nio.file.Path counterexample = o.runDirectory().resolve(dev.lockstep.checkers.Checkers.LINEAR_HTML);
    if (java.nio.file.Files.isRegularFile(counterexample)) {
      out.println("counterexample: " + counterexample);
    }
    out.println("rerun: " + o.rerunCommand());
  }

  static String describe(Verdict v) {
    return switch (v) {
      case TRUE -> "(no anomaly found)";
      case FALSE -> "(anomaly found: see the evidence above)";
      case UNKNOWN -> "(a checker could not decide)";
    };
  }

  /** A checker's evidence as one bounded line of JSON. */
  public static String evidence(Result r) {
    Map<String, Object> e = new LinkedHashMap<>(r.evidence());
    String text;
    try {
      text = JSON.writeValueAsString(e);
    } catch (JsonProcessingException ex) {
      text = String.valueOf(e);
    }
    return text.length() > EVIDENCE_CHARS_MAX ? text.substring(0, EVIDENCE_CHARS_MAX) + "…" : text;
  }
}
