package dev.lockstep.ftvm.ft;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream into {@link Frame}s and verifies each one (magic, version, type, flags, length
 * bound, CRC32C) before anything sees it. The first bad byte raises a {@link FrameException}; after it
 * the decoder swallows everything, so nothing that follows a corrupt frame is ever passed on.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private final int frameBytesMax;
  private boolean failed;

  public FrameDecoder(int frameBytesMax) {
    this.frameBytesMax = frameBytesMax;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      Frame frame = decodeOne(in);
      if (frame != null) {
        out.add(frame);
      }
    } catch (FrameException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    if (!failed && in.isReadable()) {
      int partial = in.readableBytes();
      failed = true;
      in.skipBytes(partial);
      throw new FrameException("truncated frame: connection ended " + partial + " bytes into a frame");
    }
  }

  private Frame decodeOne(ByteBuf in) {
    int start = in.readerIndex();
    if (in.readableBytes() >= 4 && in.getInt(start) != WireFormat.MAGIC) {
      throw new FrameException(String.format("bad magic 0x%08x", in.getInt(start)));
    }
    if (in.readableBytes() < WireFormat.HEADER_BYTES) {
      return null;
    }
    int version = in.getUnsignedByte(start + 4);
    if (version != WireFormat.VERSION) {
      throw new FrameException("unsupported frame version " + version + " (this side speaks " + WireFormat.VERSION + ")");
    }
    FrameType type = FrameType.ofCode(in.getUnsignedByte(start + 5));
    if (type == null) {
      throw new FrameException("unknown frame type " + in.getUnsignedByte(start + 5));
    }
    if (in.getUnsignedShort(start + 6) != 0) {
      throw new FrameException("nonzero frame flags " + in.getUnsignedShort(start + 6));
    }
    long epoch = in.getLong(start + 8);
    long length = in.getUnsignedInt(start + 16);
    if (length > frameBytesMax) {
      throw new FrameException("frame payload of " + length + " bytes exceeds the bound of " + frameBytesMax);
    }
    int total = WireFormat.HEADER_BYTES + (int) length + WireFormat.TRAILER_BYTES;
    if (in.readableBytes() < total) {
      return null;
    }
    int bodyBytes = total - WireFormat.TRAILER_BYTES;
    int expected = WireFormat.crc(in.nioBuffer(start, bodyBytes));
    int actual = in.getInt(start + bodyBytes);
    if (expected != actual) {
      throw new FrameException(String.format("checksum mismatch on a %s frame: computed 0x%08x, frame says 0x%08x",
          type, expected, actual));
    }
    byte[] payload = new byte[(int) length];
    in.getBytes(start + WireFormat.HEADER_BYTES, payload);
    in.skipBytes(total);
    return new Frame(type, epoch, payload);
  }
}
