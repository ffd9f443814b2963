package dev.lockstep.ftvm.ft;

import dev.lockstep.ftvm.replay.Event;
import java.util.Objects;

/**
 * One entry of the primary's log stream: a sequence number (1, 2, 3, ... per epoch stream, consecutive
 * on one connection) and the event it carries.
 */
public record LogEntry(long seq, Event event) {
  public LogEntry {
    Objects.requireNonNull(event, "event");
    if (seq < 1) {
      throw new IllegalArgumentException("log entry seq must be >= 1, was " + seq);
    }
  }
}
