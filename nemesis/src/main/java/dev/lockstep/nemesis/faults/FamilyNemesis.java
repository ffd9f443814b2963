package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.Cluster;
import dev.lockstep.nemesis.Nemesis;
import dev.lockstep.nemesis.NemesisException;
import dev.lockstep.nemesis.NemesisOp;
import dev.lockstep.nemesis.Seeds;
import dev.lockstep.nemesis.schedule.Family;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A nemesis for one family: {@code start-F} applies a fault and remembers how to undo it;
 * {@code stop-F} and {@link #teardown()} undo every remembered fault of the family, newest first.
 */
abstract class FamilyNemesis implements Nemesis {
  /** A fault in force: the ids it hit and how to heal it. */
  record Active(List<String> ids, Runnable undo) {}

  protected final Family family;
  protected final Cluster cluster;
  protected final SplittableRandom random;
  private final Deque<Active> active = new ArrayDeque<>();

  FamilyNemesis(Family family, Cluster cluster, long seed) {
    this.family = family;
    this.cluster = cluster;
    this.random = new SplittableRandom(Seeds.derive(seed, family.ordinal()));
  }

  Family family() {
    return family;
  }

  /** Applies one fault described by {@code value}; must leave nothing half-applied on return. */
  abstract Active start(NemesisOp op, Map<String, Object> value);

  @Override
  public void setup() {}

  @Override
  public NemesisOp invoke(NemesisOp op) {
    Map<String, Object> value = Values.map(op);
    if (op.f().equals(family.startF())) {
      Active a = start(op, value);
      active.push(a);
      return op.withValue(Values.withNodes(value, a.ids()));
    }
    if (op.f().equals(family.stopF())) {
      return op.withValue(Values.withNodes(value, stopAll()));
    }
    throw new IllegalArgumentException("the " + family + " nemesis does not handle " + op.f());
  }

  @Override
  public void teardown() {
    stopAll();
  }

  /** Undoes every active fault even if one undo fails; rethrows the first failure after. */
  private List<String> stopAll() {
    List<String> healed = new ArrayList<>();
    RuntimeException first = null;
    while (!active.isEmpty()) {
      Active a = active.pop();
      try {
        a.undo().run();
        healed.addAll(a.ids());
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first instanceof NemesisException ne ? ne : new NemesisException(family + ": heal failed: " + first.getMessage(), first);
    }
    return healed;
  }
}
