package dev.lockstep.histories.events;

import java.io.IOException;

/** An event log reached its size bound; the event was not written. */
public final class EventLogFullException extends IOException {
  private static final long serialVersionUID = 1L;

  public EventLogFullException(String message) {
    super(message);
  }
}
