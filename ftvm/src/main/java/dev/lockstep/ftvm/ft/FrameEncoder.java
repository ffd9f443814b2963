package dev.lockstep.ftvm.ft;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a {@link Frame} in the layout of {@link WireFormat}, checksum last. */
public final class FrameEncoder extends MessageToByteEncoder<Frame> {

  @Override
  protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
    int start = out.writerIndex();
    out.ensureWritable(WireFormat.HEADER_BYTES + frame.payload().length + WireFormat.TRAILER_BYTES);
    out.writeInt(WireFormat.MAGIC);
    out.writeByte(WireFormat.VERSION);
    out.writeByte(frame.type().code());
    out.writeShort(0);
    out.writeLong(frame.epoch());
    out.writeInt(frame.payload().length);
    out.writeBytes(frame.payload());
    out.writeInt(WireFormat.crc(out.nioBuffer(start, out.writerIndex() - start)));
  }
}
