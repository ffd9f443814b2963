package dev.lockstep.ftvm.replay;

/**
 * The replay-log file format, version 1. All integers little-endian.
 *
 * <pre>
 * header:  "LSRL" magic (4) · u16 version · u16 body length (44) ·
 *          body: u32 ramBytes · u64 diskSectors · 32-byte SHA-256 of the guest image ·
 *          u32 CRC32C of everything before it
 * record:  u8 kind code (EventKind.code) · u64 icount · u32 payload length · payload ·
 *          u32 CRC32C of kind … payload
 * </pre>
 *
 * Records follow in the order the events happened; icounts never decrease. A log ends after its
 * last complete record; a writer ends a finished run with HALT or SHUTDOWN, so a reader can tell a
 * complete log from one cut at a record boundary.
 */
public final class ReplayLogFormat {
  public static final int MAGIC = 0x4C52_534C; // "LSRL" read little-endian
  public static final int VERSION = 1;
  public static final int HEADER_BODY_BYTES = 4 + 8 + ReplayLogHeader.SHA256_BYTES;
  public static final int HEADER_BYTES = 4 + 2 + 2 + HEADER_BODY_BYTES + 4;
  public static final int RECORD_OVERHEAD_BYTES = 1 + 8 + 4 + 4;
  /** Largest payload: a packet (8192) or a disk transfer (8 × 512 + 9), with room to spare. */
  public static final int PAYLOAD_BYTES_MAX = 64 << 10;

  private ReplayLogFormat() {}
}
