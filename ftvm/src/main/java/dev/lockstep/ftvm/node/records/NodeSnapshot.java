package dev.lockstep.ftvm.node.records;

import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.node.NodeDisk;
import dev.lockstep.ftvm.node.primary.PrimaryDriver;
import dev.lockstep.ftvm.replay.HostPort;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The node snapshot a primary streams to a joining backup, and a backup keeps next to its replay log:
 * magic, version, the guest's clock floors, the machine, and the disk's content when each node has
 * its own disk. The one definition of the format: the node, the simulator and the replay read it here.
 */
public final class NodeSnapshot {

  /** Bytes that open a node snapshot. */
  public static final int MAGIC = 0x4C534E50; // "LSNP"
  public static final int VERSION = 1;

  /** A restored snapshot: the machine (attached to the port given) and the local disk's content, if any. */
  public record Restored(Machine machine, byte[] localDisk) {}

  private NodeSnapshot() {}

  /** A primary's snapshot for a joining backup: its machine, clock floors and, when local, its disk. */
  public static byte[] take(Machine m, PrimaryDriver.ClockFloors floors, NodeDisk disk) throws IOException {
    return write(m, floors.mtime(), floors.rtc(), disk.forSnapshot());
  }

  /** A joining backup's machine from the primary's snapshot, its local disk made the primary's copy. */
  public static Machine restore(byte[] snap, NodeDisk disk) throws IOException {
    Restored r = read(snap, HostPort.UNATTACHED);
    disk.restore(r.localDisk());
    return r.machine();
  }

  /** @param localDisk the node's own disk content, or null when the disk is shared or absent */
  public static byte[] write(Machine m, long mtimeFloor, long rtcFloor, byte[] localDisk) throws IOException {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(m.config().ramBytes() + 4096 + (localDisk == null ? 0 : localDisk.length));
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(mtimeFloor);
    out.writeLong(rtcFloor);
    m.snapshot(out);
    out.writeBoolean(localDisk != null);
    if (localDisk != null) {
      out.writeInt(localDisk.length);
      out.write(localDisk);
    }
    out.flush();
    return bytes.toByteArray();
  }

  /**
   * Restores a snapshot onto {@code port}. The clock floors are skipped: a backup's port learns them
   * again from the log.
   *
   * @throws IOException when the bytes are not a node snapshot of this version, or are cut short
   */
  public static Restored read(byte[] snap, HostPort port) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(snap));
    if (in.readInt() != MAGIC || in.readInt() != VERSION) {
      throw new IOException("not a node snapshot of version " + VERSION);
    }
    in.readLong();
    in.readLong();
    Machine m = Machine.restore(in, port);
    byte[] disk = null;
    if (in.readBoolean()) {
      disk = new byte[in.readInt()];
      in.readFully(disk);
    }
    return new Restored(m, disk);
  }
}
