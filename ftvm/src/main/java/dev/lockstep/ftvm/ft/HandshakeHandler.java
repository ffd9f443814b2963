package dev.lockstep.ftvm.ft;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Challenge-response in both directions before any log traffic: the backup sends HELLO (cluster, its id,
 * nonce); the primary answers CHALLENGE (its id, nonce, HMAC over both nonces); the backup checks it and
 * answers RESPONSE (its own HMAC over both nonces); the primary checks that. Fresh nonces on both sides
 * make a recorded handshake useless to replay. Any other frame before completion, a wrong cluster, a bad
 * HMAC, or no completion within {@link #handshakeTimeout} raises {@link HandshakeException}.
 *
 * <p>On success it derives one key per direction from the secret and both nonces, arms the
 * {@link FrameMacHandler} with them (every later frame is authenticated), fires {@link Completed} down
 * the pipeline and removes itself.
 */
public final class HandshakeHandler extends ChannelInboundHandlerAdapter {
  /** Fired once the peer proved it knows the cluster secret. */
  public record Completed(String peerNodeId) {}

  /** Which side of the channel this handler speaks for. */
  public enum Side { PRIMARY, BACKUP }

  /** The handshake may take this long even when the failure timeout is shorter: a cold JVM loads its crypto first. */
  public static final Duration HANDSHAKE_TIMEOUT_MIN = Duration.ofSeconds(2);

  // Nonces must be unpredictable to an attacker, so they come from SecureRandom, not a seeded source.
  private static final SecureRandom NONCES = new SecureRandom();

  private final Side side;
  private final FrameMacHandler frameMac;
  private final ChannelSettings settings;
  private final byte[] secret;
  private final String nodeId;
  private final byte[] myNonce = new byte[Payloads.NONCE_BYTES];
  private byte[] peerNonce;
  private String peerNodeId;
  private boolean done;
  private ScheduledFuture<?> deadline;

  public HandshakeHandler(Side side, ChannelSettings settings, String nodeId, FrameMacHandler frameMac) {
    this.side = side;
    this.frameMac = frameMac;
    this.settings = settings;
    this.secret = settings.secret();
    this.nodeId = nodeId;
    synchronized (NONCES) {
      NONCES.nextBytes(myNonce);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long boundMs = handshakeTimeout(settings).toMillis();
    deadline = ctx.executor().schedule(() -> {
      if (!done) {
        ctx.fireExceptionCaught(new HandshakeException("no handshake within " + boundMs + " ms"));
      }
    }, boundMs, TimeUnit.MILLISECONDS);
    if (side == Side.BACKUP) {
      send(ctx, FrameType.HELLO, Payloads.hello(new Payloads.Hello(settings.cluster(), nodeId, myNonce)));
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelDeadline();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Frame f = (Frame) msg;
    if (side == Side.PRIMARY) {
      primaryRead(ctx, f);
    } else {
      backupRead(ctx, f);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    // Heartbeats are log traffic: none may leave before the peer is authenticated; silence during the
    // handshake is bounded by its own deadline.
    if (evt instanceof IdleStateEvent) {
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  /** The bound on a handshake: the failure timeout, but at least {@link #HANDSHAKE_TIMEOUT_MIN}. */
  public static Duration handshakeTimeout(ChannelSettings s) {
    return s.failureTimeout().compareTo(HANDSHAKE_TIMEOUT_MIN) > 0 ? s.failureTimeout() : HANDSHAKE_TIMEOUT_MIN;
  }

  /** Loads the crypto classes and seeds the nonce source now, so the first handshake is not slowed by it. */
  static void warmUp() {
    HandshakeMac.compute(new byte[ChannelSettings.SECRET_BYTES_MIN], HandshakeMac.PRIMARY, "", 0, "", "",
        new byte[0], new byte[0]);
    synchronized (NONCES) {
      NONCES.nextBytes(new byte[Payloads.NONCE_BYTES]);
    }
  }

  private void primaryRead(ChannelHandlerContext ctx, Frame f) {
    if (peerNonce == null) {
      expect(f, FrameType.HELLO);
      Payloads.Hello hello = Payloads.hello(f.payload());
      checkCluster(hello.cluster());
      peerNodeId = hello.nodeId();
      peerNonce = hello.nonce();
      byte[] mac = HandshakeMac.compute(secret, HandshakeMac.PRIMARY, settings.cluster(), settings.epoch(), nodeId,
          peerNodeId, myNonce, peerNonce);
      send(ctx, FrameType.CHALLENGE, Payloads.challenge(new Payloads.Challenge(nodeId, myNonce, mac)));
      return;
    }
    expect(f, FrameType.RESPONSE);
    byte[] expected = HandshakeMac.compute(secret, HandshakeMac.BACKUP, settings.cluster(), settings.epoch(),
        peerNodeId, nodeId, peerNonce, myNonce);
    if (!HandshakeMac.matches(expected, Payloads.responseMac(f.payload()))) {
      throw new HandshakeException("backup '" + peerNodeId + "' failed the handshake: bad HMAC");
    }
    frameMac.activate(key(HandshakeMac.KEY_PRIMARY_TO_BACKUP, nodeId, peerNodeId, myNonce, peerNonce),
        key(HandshakeMac.KEY_BACKUP_TO_PRIMARY, nodeId, peerNodeId, myNonce, peerNonce));
    complete(ctx);
  }

  private void backupRead(ChannelHandlerContext ctx, Frame f) {
    expect(f, FrameType.CHALLENGE);
    Payloads.Challenge c = Payloads.challenge(f.payload());
    byte[] expected = HandshakeMac.compute(secret, HandshakeMac.PRIMARY, settings.cluster(), settings.epoch(),
        c.nodeId(), nodeId, c.nonce(), myNonce);
    if (!HandshakeMac.matches(expected, c.mac())) {
      throw new HandshakeException("primary '" + c.nodeId() + "' failed the handshake: bad HMAC");
    }
    peerNodeId = c.nodeId();
    byte[] mac = HandshakeMac.compute(secret, HandshakeMac.BACKUP, settings.cluster(), settings.epoch(), nodeId,
        peerNodeId, myNonce, c.nonce());
    send(ctx, FrameType.RESPONSE, Payloads.response(mac));
    frameMac.activate(key(HandshakeMac.KEY_BACKUP_TO_PRIMARY, peerNodeId, nodeId, c.nonce(), myNonce),
        key(HandshakeMac.KEY_PRIMARY_TO_BACKUP, peerNodeId, nodeId, c.nonce(), myNonce));
    complete(ctx);
  }

  /** A per-connection, per-direction frame key; both sides derive it from the same inputs in the same order. */
  private byte[] key(String direction, String primaryId, String backupId, byte[] primaryNonce, byte[] backupNonce) {
    return HandshakeMac.compute(secret, direction, settings.cluster(), settings.epoch(), primaryId, backupId,
        primaryNonce, backupNonce);
  }

  private void expect(Frame f, FrameType type) {
    if (f.type() != type) {
      throw new HandshakeException("expected " + type + " during the handshake, got " + f.type());
    }
  }

  private void checkCluster(String peerCluster) {
    if (!settings.cluster().equals(peerCluster)) {
      throw new HandshakeException("peer belongs to cluster '" + peerCluster + "', this is '" + settings.cluster() + "'");
    }
  }

  private void complete(ChannelHandlerContext ctx) {
    done = true;
    cancelDeadline();
    ctx.fireUserEventTriggered(new Completed(peerNodeId));
    ctx.pipeline().remove(this);
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  private void send(ChannelHandlerContext ctx, FrameType type, byte[] payload) {
    ctx.writeAndFlush(new Frame(type, settings.epoch(), payload));
  }
}
