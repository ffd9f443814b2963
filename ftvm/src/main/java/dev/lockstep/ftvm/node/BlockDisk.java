package dev.lockstep.ftvm.node;

import dev.lockstep.ftvm.machine.Machine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * The host side of the machine's block disk, 512-byte sectors: executes the request of a DISK_START
 * payload (u8 op, u32 sector, u32 count, write data) and answers the DISK_DONE payload (u8 status,
 * read data). A file on the host ({@link HostDisk}) or the simulator's twin, with its latency. Only
 * the thread that drives the machine uses it.
 */
public interface BlockDisk {

  int SECTOR_BYTES = 512;
  byte OP_READ = 1;
  byte OP_WRITE = 2;
  byte STATUS_DONE = Machine.DISK_STATUS_DONE;
  byte STATUS_ERROR = Machine.DISK_STATUS_ERROR;

  /** Capacity in whole sectors. */
  long sectors();

  /**
   * Executes a DISK_START request now; {@code done} gets its DISK_DONE payload when the disk reports
   * completion (at once for a file; after the simulated latency for the twin). A request the disk
   * cannot perform completes with {@link #STATUS_ERROR}.
   */
  void submit(byte[] start, Consumer<byte[]> done);

  /** The whole disk, for a joining backup's snapshot (local disks only). */
  byte[] readAll() throws IOException;

  /** Replaces the whole disk with a snapshot's copy. */
  void writeAll(byte[] content) throws IOException;

  /** Whether a DISK_START payload asks for a write. */
  static boolean isWrite(byte[] start) {
    return start.length > 0 && start[0] == OP_WRITE;
  }

  /** A DISK_START request, checked against a disk of {@code sectors}; data at {@code start[9..]} for a write. */
  record Request(byte op, long sector, int count) {
    /** The request, or null when it is malformed or out of range (it then completes with an error). */
    public static Request parse(byte[] start, long sectors) {
      if (start.length < 9) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(start).order(ByteOrder.LITTLE_ENDIAN);
      byte op = b.get();
      long sector = Integer.toUnsignedLong(b.getInt());
      long count = Integer.toUnsignedLong(b.getInt());
      if (count == 0 || sector + count > sectors) {
        return null;
      }
      boolean write = op == OP_WRITE && start.length == 9 + count * SECTOR_BYTES;
      if (!write && !(op == OP_READ && start.length == 9)) {
        return null;
      }
      return new Request(op, sector, (int) count);
    }

    public boolean write() {
      return op == OP_WRITE;
    }

    public long offset() {
      return sector * SECTOR_BYTES;
    }

    public int bytes() {
      return count * SECTOR_BYTES;
    }
  }
}
