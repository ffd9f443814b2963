package dev.lockstep.ftvm.ft;

import java.util.concurrent.atomic.LongAdder;

/** Bytes on the wire of a logging-channel endpoint (all its connections), for the figures of the FT bench. Thread-safe. */
public final class ChannelStats {
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder bytesReceived = new LongAdder();

  void sent(long bytes) {
    bytesSent.add(bytes);
  }

  void received(long bytes) {
    bytesReceived.add(bytes);
  }

  /** Bytes written to the socket(s) so far, frame headers and checksums included. */
  public long bytesSent() {
    return bytesSent.sum();
  }

  /** Bytes read from the socket(s) so far. */
  public long bytesReceived() {
    return bytesReceived.sum();
  }

  @Override
  public String toString() {
    return "ChannelStats[sent=" + bytesSent() + " B, received=" + bytesReceived() + " B]";
  }
}
