package dev.lockstep.ftvm.node;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import java.io.IOException;

/**
 * A node's disk and how its cluster uses it. Shared (one disk for the cluster): only the live primary
 * writes, and its writes are outputs that wait for the output rule. Local (one disk per node): each
 * node keeps its own copy current, the backup by executing the writes it replays, and a joining
 * backup receives the primary's copy in its snapshot. The real node and the simulated one both use it.
 */
public record NodeDisk(BlockDisk disk, boolean local) {

  /** No disk: every request completes with an error. */
  public static final NodeDisk NONE = new NodeDisk(null, false);

  /** Whether the primary holds writes for the output rule. */
  public boolean shared() {
    return disk != null && !local;
  }

  /** The copy a joining backup gets in its snapshot: the whole disk when local, else null. */
  public byte[] forSnapshot() throws IOException {
    return disk != null && local ? disk.readAll() : null;
  }

  /** A joining backup takes the primary's copy of a local disk from its snapshot. */
  public void restore(byte[] fromSnapshot) throws IOException {
    if (fromSnapshot != null && disk != null && local) {
      disk.writeAll(fromSnapshot);
    }
  }

  /**
   * A backup replayed a disk request (its completion comes from the log): on a local disk it executes
   * the writes, so its copy stays the primary's; a shared disk is the primary's alone.
   */
  public void replayed(Event output) {
    if (output.kind() == EventKind.DISK_START && disk != null && local && BlockDisk.isWrite(output.payload())) {
      disk.submit(output.payload(), done -> { });
    }
  }
}
