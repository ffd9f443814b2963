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
  static OfList of(List<Event> events) {
    return new OfList(events, 0);
  }

  /**
   * The events of a list from index {@code from}; the list may grow at its end between reads (a
   * recording that goes on), but must not change otherwise.
   */
  static OfList of(List<Event> events, int from) {
    return new OfList(events, from);
  }

  /** A list's events, with the index of the next one. */
  final class OfList implements EventSource {
    private final List<Event> events;
    private int next;

    private OfList(List<Event> events, int from) {
      if (from < 0 || from > events.size()) {
        throw new IndexOutOfBoundsException("start " + from + " outside a list of " + events.size() + " events");
      }
      this.events = events;
      this.next = from;
    }

    @Override
    public Event peek() {
      return next < events.size() ? events.get(next) : null;
    }

    @Override
    public Event take() {
      return next < events.size() ? events.get(next++) : null;
    }

    /** The index of the next event in the list. */
    public int position() {
      return next;
    }
  }
}
