package dev.lockstep.ftvm.ft;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

/** A primary and a backup pipeline on EmbeddedChannels, with the bytes between them moved by hand. */
final class ChannelPair {
  final EmbeddedChannel primary;
  final EmbeddedChannel backup;
  final Recorders.Primary primaryHeard = new Recorders.Primary();
  final Recorders.Backup backupHeard = new Recorders.Backup();

  ChannelPair(ChannelSettings primarySettings, ChannelSettings backupSettings) {
    primary = pipeline(HandshakeHandler.Side.PRIMARY, primarySettings, "p1",
        new LogServerHandler(primarySettings, primaryHeard, new BackupSlot(primarySettings.epoch())));
    backup = pipeline(HandshakeHandler.Side.BACKUP, backupSettings, "b1",
        new LogClientHandler(backupSettings, backupHeard, new java.util.concurrent.CompletableFuture<>()));
  }

  static EmbeddedChannel pipeline(HandshakeHandler.Side side, ChannelSettings s, String nodeId,
      io.netty.channel.ChannelHandler endpoint) {
    EmbeddedChannel ch = new EmbeddedChannel(false, false);
    LogChannelInitializer.configure(ch.pipeline(), side, s, nodeId, endpoint);
    try {
      ch.register();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return ch;
  }

  /** Moves bytes both ways until neither side has anything left to send. */
  void pump() {
    boolean moved = true;
    while (moved) {
      moved = move(backup, primary) | move(primary, backup);
    }
  }

  private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
    boolean any = false;
    ByteBuf b;
    while ((b = from.readOutbound()) != null) {
      any = true;
      if (to.isOpen()) {
        to.writeInbound(b);
      } else {
        b.release();
      }
    }
    return any;
  }

  /** The bytes the authenticated primary end sends for {@code f} (tagged with its frame key). */
  byte[] fromPrimary(Frame f) {
    primary.writeOutbound(f);
    return drain(primary);
  }

  /** Bytes the primary wants to send, for tampering tests. */
  static byte[] drain(EmbeddedChannel from) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ByteBuf b;
    while ((b = from.readOutbound()) != null) {
      byte[] chunk = new byte[b.readableBytes()];
      b.readBytes(chunk);
      b.release();
      out.writeBytes(chunk);
    }
    return out.toByteArray();
  }
}
