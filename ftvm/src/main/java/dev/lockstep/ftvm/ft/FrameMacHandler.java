package dev.lockstep.ftvm.ft;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates every frame after the handshake: the sender appends HMAC-SHA256, keyed by a per-connection
 * and per-direction key derived in the handshake, over a frame counter, the type, the epoch and the
 * payload; the receiver checks and strips it. So an on-path party can neither inject, alter, replay nor
 * reorder frames of an authenticated connection. Inactive (frames pass untouched) until
 * {@link HandshakeHandler} calls {@link #activate}.
 */
public final class FrameMacHandler extends ChannelDuplexHandler {
  public static final int TAG_BYTES = 32;

  private Mac sendMac;
  private Mac receiveMac;
  private long sent;
  private long received;

  /** From now on, frames written are tagged with {@code sendKey} and frames read must carry a tag of {@code receiveKey}. */
  void activate(byte[] sendKey, byte[] receiveKey) {
    sendMac = mac(sendKey);
    receiveMac = mac(receiveKey);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (sendMac != null && msg instanceof Frame f) {
      byte[] tag = tag(sendMac, sent++, f);
      byte[] payload = Arrays.copyOf(f.payload(), f.payload().length + TAG_BYTES);
      System.arraycopy(tag, 0, payload, f.payload().length, TAG_BYTES);
      ctx.write(new Frame(f.type(), f.epoch(), payload), promise);
      return;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (receiveMac == null) {
      ctx.fireChannelRead(msg);
      return;
    }
    Frame f = (Frame) msg;
    int len = f.payload().length - TAG_BYTES;
    if (len < 0) {
      throw new HandshakeException("unauthenticated " + f.type() + " frame (no tag) after the handshake");
    }
    Frame bare = new Frame(f.type(), f.epoch(), Arrays.copyOf(f.payload(), len));
    byte[] expected = tag(receiveMac, received, bare);
    if (!HandshakeMac.matches(expected, Arrays.copyOfRange(f.payload(), len, f.payload().length))) {
      throw new HandshakeException(f.type() + " frame " + received + " failed authentication");
    }
    received++;
    ctx.fireChannelRead(bare);
  }

  private static byte[] tag(Mac mac, long counter, Frame f) {
    mac.update(ByteBuffer.allocate(8 + 1 + 8).putLong(counter).put((byte) f.type().code()).putLong(f.epoch()).array());
    return mac.doFinal(f.payload());
  }

  private static Mac mac(byte[] key) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }
}
