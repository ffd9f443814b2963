package dev.lockstep.ftvm.replay;

import dev.lockstep.ftvm.machine.Machine;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The host side of the disk: performs a DISK_START request on a file of 512-byte sectors and
 * answers with the DISK_DONE payload (status, then the data of a read). Used only when recording;
 * replay takes the completions from the log.
 */
public final class DiskBackend implements Closeable {
  public static final int SECTOR_BYTES = 512;
  private static final byte STATUS_DONE = Machine.DISK_STATUS_DONE;
  private static final byte STATUS_ERROR = Machine.DISK_STATUS_ERROR;

  private final FileChannel file;
  private final long sectors;

  private DiskBackend(FileChannel file, long sectors) {
    this.file = file;
    this.sectors = sectors;
  }

  /** Opens (creating when missing, with {@code sectorsIfNew} zero sectors) the disk file. */
  public static DiskBackend open(Path path, long sectorsIfNew) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (ch.size() == 0 && sectorsIfNew > 0) {
      ch.write(ByteBuffer.wrap(new byte[1]), sectorsIfNew * SECTOR_BYTES - 1);
    }
    return new DiskBackend(ch, ch.size() / SECTOR_BYTES);
  }

  /** Capacity in whole sectors. */
  public long sectors() {
    return sectors;
  }

  /** Performs the request described by a DISK_START payload; returns the DISK_DONE payload. */
  public byte[] perform(byte[] start) {
    ByteBuffer b = ByteBuffer.wrap(start).order(ByteOrder.LITTLE_ENDIAN);
    int op = b.get();
    long sector = b.getInt() & 0xFFFF_FFFFL;
    int count = b.getInt();
    try {
      if (sector + count > sectors) {
        return new byte[] {STATUS_ERROR};
      }
      long pos = sector * SECTOR_BYTES;
      int len = count * SECTOR_BYTES;
      if (op == 2) {
        ByteBuffer data = b.slice();
        while (data.hasRemaining()) {
          pos += file.write(data, pos);
        }
        return new byte[] {STATUS_DONE};
      }
      byte[] out = new byte[1 + len];
      out[0] = STATUS_DONE;
      ByteBuffer dst = ByteBuffer.wrap(out, 1, len);
      while (dst.hasRemaining()) {
        int n = file.read(dst, pos);
        if (n < 0) {
          break; // past the end of a short file: the rest reads as zeros
        }
        pos += n;
      }
      return out;
    } catch (IOException e) {
      return new byte[] {STATUS_ERROR};
    }
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
