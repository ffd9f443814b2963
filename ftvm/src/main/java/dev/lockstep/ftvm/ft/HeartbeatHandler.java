package dev.lockstep.ftvm.ft;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Turns the idle events of the {@code IdleStateHandler} in front of it into liveness: outbound silence of
 * one heartbeat interval sends a HEARTBEAT; inbound silence beyond the failure timeout raises
 * {@link PeerSilentException}. Inbound heartbeats end here; every other frame counts as traffic too.
 */
public final class HeartbeatHandler extends ChannelInboundHandlerAdapter {
  private final ChannelSettings settings;

  public HeartbeatHandler(ChannelSettings settings) {
    this.settings = settings;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent e) {
      if (e.state() == IdleState.WRITER_IDLE) {
        ctx.writeAndFlush(new Frame(FrameType.HEARTBEAT, settings.epoch(), new byte[0]));
      } else if (e.state() == IdleState.READER_IDLE) {
        ctx.fireExceptionCaught(new PeerSilentException(settings.failureTimeout()));
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (((Frame) msg).type() == FrameType.HEARTBEAT) {
      if (((Frame) msg).payload().length != 0) {
        throw new FrameException("HEARTBEAT frame with a payload");
      }
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
