package dev.lockstep.nemesis.faults;

import dev.lockstep.nemesis.proxy.Direction;
import dev.lockstep.nemesis.proxy.Fault;
import dev.lockstep.nemesis.LinkFaults;
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
  /** One fault on one direction of one link. */
  private record Layer(LinkFaults link, Direction direction, Fault fault) {}

  private final Map<Object, List<Layer>> byOwner = new LinkedHashMap<>();

  /**
   * Adds {@code fault} on {@code direction} of {@code link} for {@code owner} (a plain object standing for
   * one active fault, compared by identity); effective at once.
   */
  synchronized void add(Object owner, LinkFaults link, Direction direction, Fault fault) {
    byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(new Layer(link, direction, fault));
    apply(link, direction);
  }

  /** Adds {@code fault} on both directions. */
  synchronized void addBoth(Object owner, LinkFaults link, Fault fault) {
    for (Direction d : Direction.values()) {
      add(owner, link, d, fault);
    }
  }

  /** Removes every layer of {@code owner}; each direction it touched shows what is left. */
  synchronized void remove(Object owner) {
    List<Layer> gone = byOwner.remove(owner);
    if (gone != null) {
      gone.forEach(l -> apply(l.link(), l.direction()));
    }
  }

  private void apply(LinkFaults link, Direction direction) {
    Fault shown = Fault.pass();
    for (List<Layer> layers : byOwner.values()) {
      for (Layer l : layers) {
        if (l.link() == link && l.direction() == direction && rank(l.fault()) >= rank(shown)) {
          shown = l.fault();
        }
      }
    }
    if (!shown.equals(link.fault(direction))) {
      link.set(direction, shown);
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
