package dev.lockstep.ftvm.node;

import dev.lockstep.ftvm.machine.Machine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The host side of the machine's block disk: one file of 512-byte sectors. Executes the request of a
 * DISK_START payload (u8 op, u32 sector, u32 count, write data) and answers the DISK_DONE payload
 * (u8 status, read data). Only the thread that drives the machine uses it.
 */
public final class HostDisk implements AutoCloseable {

  public static final int SECTOR_BYTES = 512;
  /** Size of a disk file the node creates when none exists. */
  public static final long SECTORS_DEFAULT = 2048;
  static final byte OP_READ = 1;
  static final byte OP_WRITE = 2;
  static final byte STATUS_DONE = Machine.DISK_STATUS_DONE;
  public static final byte STATUS_ERROR = Machine.DISK_STATUS_ERROR;

  private final Path path;
  private final FileChannel file;
  private final long sectors;

  private HostDisk(Path path, FileChannel file, long sectors) {
    this.path = path;
    this.file = file;
    this.sectors = sectors;
  }

  /** Opens the disk file, creating it with {@code sectorsIfNew} zero sectors when absent. */
  public static HostDisk open(Path path, long sectorsIfNew) throws IOException {
    if (!Files.exists(path)) {
      Path parent = path.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      try (FileChannel f = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        f.write(ByteBuffer.allocate(1), sectorsIfNew * SECTOR_BYTES - 1);
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another node of the cluster created the shared file first: use it
      }
    }
    FileChannel f = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new HostDisk(path, f, f.size() / SECTOR_BYTES);
  }

  public long sectors() {
    return sectors;
  }

  public Path path() {
    return path;
  }

  /** Whether a DISK_START payload asks for a write. */
  public static boolean isWrite(byte[] start) {
    return start.length > 0 && start[0] == OP_WRITE;
  }

  /** Executes a DISK_START request and answers its DISK_DONE payload. */
  public byte[] execute(byte[] start) {
    if (start.length < 9) {
      return new byte[] {STATUS_ERROR};
    }
    ByteBuffer b = ByteBuffer.wrap(start).order(ByteOrder.LITTLE_ENDIAN);
    byte op = b.get();
    long sector = Integer.toUnsignedLong(b.getInt());
    long count = Integer.toUnsignedLong(b.getInt());
    if (count == 0 || sector + count > sectors) {
      return new byte[] {STATUS_ERROR};
    }
    try {
      if (op == OP_WRITE && start.length == 9 + count * SECTOR_BYTES) {
        file.write(ByteBuffer.wrap(start, 9, (int) count * SECTOR_BYTES), sector * SECTOR_BYTES);
        return new byte[] {STATUS_DONE};
      }
      if (op == OP_READ) {
        ByteBuffer out = ByteBuffer.allocate(1 + (int) count * SECTOR_BYTES);
        out.put(STATUS_DONE);
        while (out.hasRemaining()) {
          int n = file.read(out, sector * SECTOR_BYTES + out.position() - 1);
          if (n < 0) {
            break; // past the end of a sparse file: the rest stays zero
          }
        }
        return out.array();
      }
      return new byte[] {STATUS_ERROR};
    } catch (IOException e) {
      throw new UncheckedIOException("disk " + path, e);
    }
  }

  /** The whole disk, for a joining backup's snapshot (local disks only). */
  public byte[] readAll() throws IOException {
    ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(sectors * SECTOR_BYTES));
    while (all.hasRemaining() && file.read(all, all.position()) >= 0) {
      // read to the end
    }
    return all.array();
  }

  /** Replaces the whole disk with a snapshot's copy. */
  public void writeAll(byte[] content) throws IOException {
    file.truncate(0);
    file.write(ByteBuffer.wrap(content), 0);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
