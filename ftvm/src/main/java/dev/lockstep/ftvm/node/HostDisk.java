package dev.lockstep.ftvm.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine's block disk as one file of 512-byte sectors on the host. Requests complete at once,
 * on the calling thread; a failing read or write completes with an error.
 */
public final class HostDisk implements BlockDisk, AutoCloseable {

  /** Size of a disk file the node creates when none exists. */
  public static final long SECTORS_DEFAULT = 2048;

  private static final Logger log = LoggerFactory.getLogger(HostDisk.class);

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

  @Override
  public long sectors() {
    return sectors;
  }

  public Path path() {
    return path;
  }

  @Override
  public void submit(byte[] start, Consumer<byte[]> done) {
    byte[] result;
    try {
      result = execute(start);
    } catch (UncheckedIOException e) {
      log.warn("disk request failed: {}", e.getCause().toString());
      result = new byte[] {STATUS_ERROR};
    }
    done.accept(result);
  }

  /** Executes a DISK_START request and answers its DISK_DONE payload. */
  public byte[] execute(byte[] start) {
    Request r = Request.parse(start, sectors);
    if (r == null) {
      return new byte[] {STATUS_ERROR};
    }
    try {
      if (r.write()) {
        ByteBuffer data = ByteBuffer.wrap(start, 9, r.bytes());
        long pos = r.offset();
        while (data.hasRemaining()) {
          pos += file.write(data, pos);
        }
        return new byte[] {STATUS_DONE};
      }
      ByteBuffer out = ByteBuffer.allocate(1 + r.bytes());
      out.put(STATUS_DONE);
      while (out.hasRemaining()) {
        int n = file.read(out, r.offset() + out.position() - 1);
        if (n < 0) {
          break; // past the end of a sparse file: the rest stays zero
        }
      }
      return out.array();
    } catch (IOException e) {
      throw new UncheckedIOException("disk " + path, e);
    }
  }

  @Override
  public byte[] readAll() throws IOException {
    ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(sectors * SECTOR_BYTES));
    while (all.hasRemaining() && file.read(all, all.position()) >= 0) {
      // read to the end
    }
    return all.array();
  }

  @Override
  public void writeAll(byte[] content) throws IOException {
    file.truncate(0);
    file.write(ByteBuffer.wrap(content), 0);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
