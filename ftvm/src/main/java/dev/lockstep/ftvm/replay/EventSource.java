package dev.lockstep.ftvm.replay;

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
}
