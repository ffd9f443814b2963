package dev.lockstep.nemesis.clock;

import dev.lockstep.nemesis.NemesisException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The nemesis side of a node's clock fault: writes the offset the node must add to its host clock.
 * Each write replaces the file atomically (write a sibling, then rename), so a reader sees the old
 * or the new offset, never a torn one. A skew is a constant offset; a jump is a sudden change of it.
 * Thread-safe.
 *
 * <p>The file format, for readers that cannot use {@link OffsetReader}: one ASCII line
 * {@code offsetNanos=<signed decimal>\n}; a missing file means offset 0.
 */
public final class OffsetControl {
  private final Path file;
  private long offsetNanos;

  /**
   * Writes offset 0 to {@code file}, creating its directory if needed.
   *
   * @throws NemesisException if the file cannot be written
   */
  public OffsetControl(Path file) {
    this.file = file.toAbsolutePath();
    try {
      Files.createDirectories(this.file.getParent());
    } catch (IOException e) {
      throw new NemesisException("cannot create clock control directory " + this.file.getParent() + ": " + e.getMessage(), e);
    }
    set(0);
  }

  public Path file() {
    return file;
  }

  /** The offset last written. */
  public synchronized long offsetNanos() {
    return offsetNanos;
  }

  /** Sets the offset: the node's clock reads host time plus {@code offsetNanos}. */
  public synchronized void set(long offsetNanos) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, OffsetFile.format(offsetNanos), StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new NemesisException("cannot write clock offset to " + file + ": " + e.getMessage(), e);
    }
    this.offsetNanos = offsetNanos;
  }

  /** Moves the node's clock by {@code deltaNanos} (negative moves it back). */
  public synchronized void jump(long deltaNanos) {
    set(Math.addExact(offsetNanos, deltaNanos));
  }

  /** Offset 0: the node reads its host clock unchanged. */
  public void reset() {
    set(0);
  }
}
