package dev.lockstep.histories;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads the ops of one history in file order, one at a time, so a large history need not be held
 * twice in memory.
 */
public interface HistoryReader extends Closeable {
  /**
   * The next op, or null at the end of the history.
   *
   * @throws HistoryFormatException when the input is malformed, naming the line and column
   * @throws IOException when the input cannot be read
   */
  Op next() throws IOException;
}
