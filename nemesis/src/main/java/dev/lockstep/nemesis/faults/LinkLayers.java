package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.proxy.Direction;
import dev.lockstep.nemesis.proxy.Fault;
import dev.lockstep.nemesis.proxy.FaultProxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The faults several overlapping nemesis faults hold on one link direction. Each fault adds a layer
 * and removes only its own; the direction shows the most severe layer left (cut, then reset, drop,
 * flaky, throttle, delay; the newest among equals), and passes when none is left. Without it a
 * one-way cut healed under a running partition would reopen the partitioned link. Shared by every
 * family of one nemesis; thread-safe.
 */
final class LinkLayers {
  /** One fault on one direction of one proxy. */
  private record Layer(FaultProxy proxy, Direction direction, Fault fault) {}

  private final Map<Object, List<Layer>> byOwner = new LinkedHashMap<>();

  /**
   * Adds {@code fault} on {@code direction} of {@code proxy} for {@code owner} (a plain object standing for
   * one active fault, compared by identity); effective at once.
   */
  synchronized void add(Object owner, FaultProxy proxy, Direction direction, Fault fault) {
    byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(new Layer(proxy, direction, fault));
    apply(proxy, direction);
  }

  /** Adds {@code fault} on both directions. */
  synchronized void addBoth(Object owner, FaultProxy proxy, Fault fault) {
    for (Direction d : Direction.values()) {
      add(owner, proxy, d, fault);
    }
  }

  /** Removes every layer of {@code owner}; each direction it touched shows what is left. */
  synchronized void remove(Object owner) {
    List<Layer> gone = byOwner.remove(owner);
    if (gone != null) {
      gone.forEach(l -> apply(l.proxy(), l.direction()));
    }
  }

  private void apply(FaultProxy proxy, Direction direction) {
    Fault shown = Fault.pass();
    for (List<Layer> layers : byOwner.values()) {
      for (Layer l : layers) {
        if (l.proxy() == proxy && l.direction() == direction && rank(l.fault()) >= rank(shown)) {
          shown = l.fault();
        }
      }
    }
    if (!shown.equals(proxy.fault(direction))) {
      proxy.set(direction, shown);
    }
  }

  private static int rank(Fault f) {
    if (f instanceof Fault.Cut) {
      return 6;
    } else if (f instanceof Fault.Reset) {
      return 5;
    } else if (f instanceof Fault.Drop) {
      return 4;
    } else if (f instanceof Fault.Flaky) {
      return 3;
    } else if (f instanceof Fault.Throttle) {
      return 2;
    } else if (f instanceof Fault.Delay) {
      return 1;
    }
    return 0;
  }
}
