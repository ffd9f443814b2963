package dev.lockstep.checkers;

import dev.lockstep.checkers.events.OutputReleased;
import dev.lockstep.checkers.events.RoleChange;
import dev.lockstep.checkers.events.StateHash;
import dev.lockstep.histories.Op;
import java.util.List;

/**
 * Everything a checker may look at: the client history in order, and the nodes' event logs merged
 * (each list in the order the nodes wrote it). Lists are never null; a missing log is an empty list.
 */
public record CheckInput(
    List<Op> history, List<OutputReleased> outputs, List<StateHash> stateHashes, List<RoleChange> roles) {

  public CheckInput {
    history = List.copyOf(history);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
    stateHashes = stateHashes == null ? List.of() : List.copyOf(stateHashes);
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  /** An input with a history and no node event logs. */
  public static CheckInput ofHistory(List<Op> history) {
    return new CheckInput(history, List.of(), List.of(), List.of());
  }
}
