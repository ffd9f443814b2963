package dev.lockstep.histories;

import java.io.IOException;

/**
 * Input that is not a well-formed history or event log. The message is one line, {@code
 * SOURCE:LINE:COLUMN: reason}, where the line and column (both from 1) point at the offending
 * character or, for an unterminated string or collection, at its opening character. A line of 0
 * means the problem concerns the whole source (an unknown extension, say) and the position is left
 * out of the message.
 */
public class HistoryFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final int column;
  private final String reason;

  public HistoryFormatException(String source, int line, int column, String reason) {
    super(format(source, line, column, reason));
    this.source = source;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  /** A problem with the whole source, with no position. */
  public HistoryFormatException(String source, String reason) {
    this(source, 0, 0, reason);
  }

  private static String format(String source, int line, int column, String reason) {
    return line <= 0 ? source + ": " + reason : source + ":" + line + ":" + column + ": " + reason;
  }

  /** The file name (or other description) of the input. */
  public String source() {
    return source;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The message without the position. */
  public String reason() {
    return reason;
  }
}
