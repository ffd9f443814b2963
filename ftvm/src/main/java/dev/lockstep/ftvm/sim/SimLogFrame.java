package dev.lockstep.ftvm.sim;

import dev.lockstep.ftvm.ft.FrameType;
import dev.lockstep.ftvm.ft.LogEntry;
import dev.lockstep.ftvm.ft.WireSize;
import java.util.List;

/**
 * One frame of the simulated logging channel: the real frame's type and epoch, its content as an object
 * rather than bytes, and the bytes the real frame would take ({@link WireSize}). {@code corrupt} stands
 * for a frame whose bytes were damaged on the way: the receiver's decoder rejects it as the real
 * {@code FrameDecoder} rejects a checksum mismatch.
 */
public record SimLogFrame(FrameType type, long epoch, Object body, int bytes, boolean corrupt) {

  record Hello(String cluster, String nodeId, byte[] secret) {}

  record Challenge(String nodeId, byte[] secret) {}

  record Response(byte[] secret) {}

  record Ack(long seq, long executedIcount) {}

  record Chunk(long icount, long totalBytes, long offset, byte[] data) {}

  static SimLogFrame hello(long epoch, String cluster, String nodeId, byte[] secret) {
    return of(FrameType.HELLO, epoch, new Hello(cluster, nodeId, secret), WireSize.helloFrame(cluster, nodeId));
  }

  static SimLogFrame challenge(long epoch, String nodeId, byte[] secret) {
    return of(FrameType.CHALLENGE, epoch, new Challenge(nodeId, secret), WireSize.challengeFrame(nodeId));
  }

  static SimLogFrame response(long epoch, byte[] secret) {
    return of(FrameType.RESPONSE, epoch, new Response(secret), WireSize.responseFrame());
  }

  static SimLogFrame batch(long epoch, List<LogEntry> entries) {
    return of(FrameType.LOG_BATCH, epoch, List.copyOf(entries), WireSize.batchFrame(entries));
  }

  static SimLogFrame ack(long epoch, long seq, long executedIcount) {
    return of(FrameType.ACK, epoch, new Ack(seq, executedIcount), WireSize.ackFrame());
  }

  static SimLogFrame progress(long epoch, long icount) {
    return of(FrameType.PROGRESS, epoch, icount, WireSize.progressFrame());
  }

  static SimLogFrame heartbeat(long epoch) {
    return of(FrameType.HEARTBEAT, epoch, null, WireSize.heartbeatFrame());
  }

  static SimLogFrame chunk(long epoch, Chunk c) {
    return of(FrameType.SNAPSHOT_CHUNK, epoch, c, WireSize.snapshotChunkFrame(c.data().length));
  }

  static SimLogFrame close(long epoch, String reason) {
    return of(FrameType.CONTROL, epoch, reason, WireSize.closeFrame(reason));
  }

  private static SimLogFrame of(FrameType type, long epoch, Object body, int bytes) {
    return new SimLogFrame(type, epoch, body, bytes, false);
  }

  /** A fault: the next frame of {@code type} on the link arrives damaged. */
  public static SimNetwork.Tamper corruptNext(FrameType type) {
    return m -> m instanceof SimLogFrame f && f.type == type
        ? new SimLogFrame(f.type, f.epoch, f.body, f.bytes, true) : null;
  }

  /** A fault: the next frame of {@code type} on the link arrives stamped with {@code epoch}. */
  public static SimNetwork.Tamper restampNext(FrameType type, long epoch) {
    return m -> m instanceof SimLogFrame f && f.type == type
        ? new SimLogFrame(f.type, epoch, f.body, f.bytes, f.corrupt) : null;
  }
}
