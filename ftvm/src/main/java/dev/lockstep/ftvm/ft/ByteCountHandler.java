package dev.lockstep.ftvm.ft;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** First in the pipeline: counts the raw bytes each way into a {@link ChannelStats}. */
public final class ByteCountHandler extends ChannelDuplexHandler {
  private final ChannelStats stats;

  public ByteCountHandler(ChannelStats stats) {
    this.stats = stats;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b) {
      stats.received(b.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf b) {
      stats.sent(b.readableBytes());
    }
    ctx.write(msg, promise);
  }
}
