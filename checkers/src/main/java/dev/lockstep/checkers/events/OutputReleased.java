package dev.lockstep.checkers.events;

/**
 * A node released one output to a client: the reply with the guest's sequence number {@code outSeq}
 * to request {@code (clientId, reqSeq)}. {@code acked} says whether a backup had acknowledged the log
 * up to this output; {@code time} is nanoseconds since the test began.
 */
public record OutputReleased(
    String node, long epoch, long outSeq, String clientId, long reqSeq, String bytesHash, long time, boolean acked) {}
