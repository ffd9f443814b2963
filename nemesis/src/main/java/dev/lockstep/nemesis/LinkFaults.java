package dev.lockstep.nemesis;

import dev.lockstep.nemesis.proxy.Direction;
import dev.lockstep.nemesis.proxy.Fault;

/**
 * What a nemesis sets on one link, whatever carries it: a fault proxy in the data path, or packet
 * filters inside network namespaces. Contract: {@link #set} is in force when it returns; a fault the
 * link cannot make is refused by {@link #supports} being false and {@link #set} throwing, never
 * silently ignored; {@link #heal} lets both directions pass and is idempotent.
 */
public interface LinkFaults {
  /** The link's name, as nemesis ops and logs show it. */
  String name();

  /** The current fault of one direction. */
  Fault fault(Direction direction);

  /**
   * Sets the fault of one direction.
   *
   * @throws NemesisException if this link cannot make {@code fault} or applying it failed
   */
  void set(Direction direction, Fault fault);

  /** Whether {@link #set} can make this kind of fault on this link. */
  default boolean supports(Fault fault) {
    return true;
  }

  /** Both directions pass again. */
  default void heal() {
    for (Direction d : Direction.values()) {
      set(d, Fault.pass());
    }
  }
}
