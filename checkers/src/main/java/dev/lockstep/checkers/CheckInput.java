package dev.lockstep.checkers;

import dev.lockstep.histories.Op;
import dev.lockstep.histories.OpList;
import dev.lockstep.histories.events.NodeEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a checker may look at: the client history in order, and every node's event log
 * (each node's events in the order it wrote them, nodes one after another). Never null.
 */
public record CheckInput(List<Op> history, List<NodeEvent> events) {

  public CheckInput {
    // Not List.copyOf: see OpList for why a history is never one big array.
    history = OpList.copyOf(history);
    events = events == null ? List.of() : List.copyOf(events);
  }

  /** An input with a history and no node event logs. */
  public static CheckInput ofHistory(List<Op> history) {
    return new CheckInput(history, List.of());
  }

  public List<NodeEvent.Output> outputs() {
    return only(NodeEvent.Output.class);
  }

  public List<NodeEvent.StateHash> stateHashes() {
    return only(NodeEvent.StateHash.class);
  }

  public List<NodeEvent.Divergence> divergences() {
    return only(NodeEvent.Divergence.class);
  }

  public List<NodeEvent.RoleChange> roles() {
    return only(NodeEvent.RoleChange.class);
  }

  private <T extends NodeEvent> List<T> only(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (NodeEvent e : events) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }
}
