package dev.lockstep.nemesis;

import java.util.Objects;

/**
 * One nemesis action as the harness records it: a {@code process: nemesis} info op with
 * {@code f} such as {@code start-partition} and a plain {@code value} (strings, numbers, lists
 * and maps only) describing the targets.
 */
public record NemesisOp(String f, Object value) {
  public NemesisOp {
    Objects.requireNonNull(f, "f");
  }

  /** True for ops that start a fault ({@code start-…}). */
  public boolean isStart() {
    return f.startsWith("start-");
  }

  /** True for ops that stop a fault ({@code stop-…}). */
  public boolean isStop() {
    return f.startsWith("stop-");
  }

  /** The family name this op belongs to: {@code start-kill} → {@code kill}. */
  public String family() {
    int dash = f.indexOf('-');
    return dash < 0 ? f : f.substring(dash + 1);
  }

  /** A copy with another value, e.g. the concrete nodes a target spec resolved to. */
  public NemesisOp withValue(Object newValue) {
    return new NemesisOp(f, newValue);
  }
}
