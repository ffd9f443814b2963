package dev.lockstep.ftvm.ft;

import java.util.Objects;

/**
 * One frame of the logging channel after its checksum was verified: type, the sender's epoch and the
 * payload bytes. The payload array is owned by the frame; callers must not change it.
 */
public record Frame(FrameType type, long epoch, byte[] payload) {
  public Frame {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
  }
}
