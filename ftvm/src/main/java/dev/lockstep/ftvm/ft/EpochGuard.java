package dev.lockstep.ftvm.ft;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Lets through only frames of this connection's epoch. TRICKY: a node paused through a whole epoch may
 * wake up and keep talking; its frames carry the old epoch and must never be applied.
 */
public final class EpochGuard extends ChannelInboundHandlerAdapter {
  private final long epoch;

  public EpochGuard(long epoch) {
    this.epoch = epoch;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Frame f = (Frame) msg;
    if (f.epoch() != epoch) {
      throw new StaleEpochException(f.epoch(), epoch);
    }
    ctx.fireChannelRead(f);
  }
}
