package dev.lockstep.ftvm.ft;

import java.util.ArrayList;
import java.util.List;

/**
 * Bytes each frame of the logging channel takes on the wire, and how a list of entries is cut into batch
 * frames, computed without encoding: for the simulated channel, which moves frames as objects but must
 * charge the network what the real one would. Sizes are exact for {@link WireFormat} version 2 with the
 * frame authentication tag that follows the handshake (handshake frames carry none).
 */
public final class WireSize {
  /** Header, authentication tag and checksum around every payload after the handshake. */
  public static final int FRAME_OVERHEAD_BYTES =
      WireFormat.HEADER_BYTES + FrameMacHandler.TAG_BYTES + WireFormat.TRAILER_BYTES;
  /** Header and checksum around a handshake payload. */
  public static final int HANDSHAKE_OVERHEAD_BYTES = WireFormat.HEADER_BYTES + WireFormat.TRAILER_BYTES;
  private static final int ACK_PAYLOAD_BYTES = 16;
  private static final int PROGRESS_PAYLOAD_BYTES = 8;
  private static final int SNAPSHOT_CHUNK_HEADER_BYTES = 24;

  private WireSize() {}

  /** A log batch frame holding {@code entries} (consecutive). */
  public static int batchFrame(List<LogEntry> entries) {
    return FRAME_OVERHEAD_BYTES + Payloads.batchBytes(entries);
  }

  public static int ackFrame() {
    return FRAME_OVERHEAD_BYTES + ACK_PAYLOAD_BYTES;
  }

  public static int progressFrame() {
    return FRAME_OVERHEAD_BYTES + PROGRESS_PAYLOAD_BYTES;
  }

  public static int heartbeatFrame() {
    return FRAME_OVERHEAD_BYTES;
  }

  public static int snapshotChunkFrame(int dataBytes) {
    return FRAME_OVERHEAD_BYTES + SNAPSHOT_CHUNK_HEADER_BYTES + dataBytes;
  }

  public static int closeFrame(String reason) {
    return FRAME_OVERHEAD_BYTES + Payloads.close(reason).length;
  }

  public static int helloFrame(String cluster, String nodeId) {
    return HANDSHAKE_OVERHEAD_BYTES
        + Payloads.hello(new Payloads.Hello(cluster, nodeId, new byte[Payloads.NONCE_BYTES])).length;
  }

  public static int challengeFrame(String nodeId) {
    return HANDSHAKE_OVERHEAD_BYTES
        + Payloads.challenge(new Payloads.Challenge(nodeId, new byte[Payloads.NONCE_BYTES], new byte[Payloads.MAC_BYTES]))
            .length;
  }

  public static int responseFrame() {
    return HANDSHAKE_OVERHEAD_BYTES + Payloads.MAC_BYTES;
  }

  /**
   * Cuts consecutive entries into batches the way the primary's end of the real channel does: each batch
   * payload stays within {@code batchBytesMax}, counting every entry at its largest encoding.
   *
   * @throws IllegalArgumentException when one entry alone exceeds {@code batchBytesMax}
   */
  public static List<List<LogEntry>> batches(List<LogEntry> entries, int batchBytesMax) {
    List<List<LogEntry>> out = new ArrayList<>();
    List<LogEntry> batch = new ArrayList<>();
    int bytes = Payloads.BATCH_HEADER_BYTES;
    for (LogEntry e : entries) {
      int size = Payloads.entryBytes(e);
      if (Payloads.BATCH_HEADER_BYTES + size > batchBytesMax) {
        throw new IllegalArgumentException("log entry " + e.seq() + " of " + size + " bytes exceeds batchBytesMax");
      }
      if (bytes + size > batchBytesMax) {
        out.add(batch);
        batch = new ArrayList<>();
        bytes = Payloads.BATCH_HEADER_BYTES;
      }
      batch.add(e);
      bytes += size;
    }
    if (!batch.isEmpty()) {
      out.add(batch);
    }
    return out;
  }
}
