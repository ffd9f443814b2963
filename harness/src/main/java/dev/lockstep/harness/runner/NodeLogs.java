package dev.lockstep.harness.runner;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.events.OutputReleased;
import dev.lockstep.checkers.events.RoleChange;
import dev.lockstep.checkers.events.StateHash;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.events.NodeEvent;
import dev.lockstep.histories.events.NodeEventReader;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the node event logs of a run directory into the checkers' input. A log whose last line is torn
 * (a node killed mid-write) is read up to it; a missing log is empty.
 */
public final class NodeLogs {

  private NodeLogs() {}

  public static CheckInput input(RunDirectory run, List<Op> history) throws IOException {
    List<OutputReleased> outputs = new ArrayList<>();
    List<StateHash> hashes = new ArrayList<>();
    List<RoleChange> roles = new ArrayList<>();
    for (String id : run.nodeIds()) {
      Path file = run.nodeEvents(id);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      for (NodeEvent e : NodeEventReader.readTolerant(file).events()) {
        if (e instanceof NodeEvent.Output o) {
          outputs.add(new OutputReleased(o.node(), o.epoch(), o.outSeq(), Long.toString(o.clientId()), o.reqSeq(),
              o.bytesHash(), o.time(), o.acked()));
        } else if (e instanceof NodeEvent.StateHash h) {
          hashes.add(new StateHash(h.node(), h.icount(), h.hash()));
        } else if (e instanceof NodeEvent.RoleChange r) {
          roles.add(new RoleChange(r.node(), r.epoch(), r.role(), r.time()));
        }
      }
    }
    return new CheckInput(history, outputs, hashes, roles);
  }
}
