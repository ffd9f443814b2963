package dev.lockstep.ftvm.replay;

import java.util.List;

/**
 * Recorded events in the order they happened, read by a {@link ReplayPort} (sync inputs, outputs) and
 * a {@link Replayer} (async inputs, control entries) sharing one source. Both methods return null
 * when no further event is available (end of a log file; nothing received yet on a stream).
 */
public interface EventSource {
  /** The next event without consuming it. */
  Event peek();

  /** The next event, consumed. */
  Event take();

  /** The events of a list, in order (the list must not change while it is read). */
  static EventSource of(List<Event> events) {
    return new EventSource() {
      private int next;

      @Override
      public Event peek() {
        return next < events.size() ? events.get(next) : null;
      }

      @Override
      public Event take() {
        return next < events.size() ? events.get(next++) : null;
      }
    };
  }
}
