package dev.lockstep.ftvm.replay;

/** Where recorded events go, in the order they happen (a replay log file, an FT log stream). */
public interface EventSink {
  void append(Event e);
}
