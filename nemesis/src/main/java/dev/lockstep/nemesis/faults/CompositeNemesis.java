package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Nemesis;
import dev.lockstep.nemesis.NemesisException;
import dev.lockstep.nemesis.NemesisOp;
import java.util.LinkedHashMap;
import java.util.Map;

/** Routes each op to the nemesis of its family; setup and teardown reach all of them. */
final class CompositeNemesis implements Nemesis {
  private final Map<String, Nemesis> byFamily;

  CompositeNemesis(Map<String, Nemesis> byFamily) {
    this.byFamily = new LinkedHashMap<>(byFamily);
  }

  @Override
  public void setup() {
    byFamily.values().forEach(Nemesis::setup);
  }

  @Override
  public NemesisOp invoke(NemesisOp op) {
    Nemesis n = byFamily.get(op.family());
    if (n == null) {
      throw new IllegalArgumentException("no nemesis for " + op.f() + "; families: " + byFamily.keySet());
    }
    return n.invoke(op);
  }

  /** Tears every family down even if one fails; rethrows the first failure after. */
  @Override
  public void teardown() {
    RuntimeException first = null;
    for (Nemesis n : byFamily.values()) {
      try {
        n.teardown();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first instanceof NemesisException ne ? ne : new NemesisException("teardown failed: " + first.getMessage(), first);
    }
  }
}
