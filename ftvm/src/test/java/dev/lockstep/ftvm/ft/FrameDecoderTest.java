package dev.lockstep.ftvm.ft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private static final int MAX = 4096;

  private static byte[] encode(Frame f) {
    EmbeddedChannel enc = new EmbeddedChannel(new FrameEncoder());
    enc.writeOutbound(f);
    ByteBuf b = enc.readOutbound();
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    b.release();
    return out;
  }

  private static Frame sample() {
    return new Frame(FrameType.PROGRESS, 7, Payloads.progress(123456789L));
  }

  private static FrameException rejected(EmbeddedChannel ch, byte[] bytes) {
    DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(bytes)));
    return assertInstanceOf(FrameException.class, e.getCause());
  }

  @Test
  void roundTripsAFrameFedOneByteAtATime() {
    byte[] bytes = encode(sample());
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
    for (byte b : bytes) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    Frame f = ch.readInbound();
    assertEquals(FrameType.PROGRESS, f.type());
    assertEquals(7, f.epoch());
    assertEquals(123456789L, Payloads.progress(f.payload()));
    assertNull(ch.readInbound());
  }

  @Test
  void decodesTwoFramesInOneBuffer() {
    byte[] one = encode(sample());
    byte[] two = encode(new Frame(FrameType.HEARTBEAT, 7, new byte[0]));
    byte[] both = new byte[one.length + two.length];
    System.arraycopy(one, 0, both, 0, one.length);
    System.arraycopy(two, 0, both, one.length, two.length);
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
    ch.writeInbound(Unpooled.wrappedBuffer(both));
    assertEquals(FrameType.PROGRESS, ((Frame) ch.readInbound()).type());
    assertEquals(FrameType.HEARTBEAT, ((Frame) ch.readInbound()).type());
  }

  @Test
  void truncatedFrameAtCloseIsAnError() {
    byte[] bytes = encode(sample());
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
    ch.writeInbound(Unpooled.wrappedBuffer(cut));
    assertNull(ch.readInbound());
    DecoderException e = assertThrows(DecoderException.class, ch::finish);
    assertTrue(assertInstanceOf(FrameException.class, e.getCause()).getMessage().contains("truncated"));
  }

  @Test
  void everyFlippedBitIsCaught() {
    byte[] good = encode(sample());
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << bit);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
        try {
          ch.writeInbound(Unpooled.wrappedBuffer(bad));
          // A flipped length bit may only make the decoder wait for more bytes; at close that is truncation.
          assertNull(ch.readInbound(), "byte " + i + " bit " + bit + " passed");
          assertThrows(DecoderException.class, ch::finish, "byte " + i + " bit " + bit);
        } catch (DecoderException e) {
          assertInstanceOf(FrameException.class, e.getCause());
          assertNull(ch.readInbound());
        }
      }
    }
  }

  @Test
  void corruptedPayloadFailsTheChecksum() {
    byte[] bad = encode(sample());
    bad[WireFormat.HEADER_BYTES + 2] ^= 0x40;
    assertTrue(rejected(new EmbeddedChannel(new FrameDecoder(MAX)), bad).getMessage().contains("checksum"));
  }

  @Test
  void wrongMagicIsRejectedFromItsFirstFourBytes() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
    FrameException e = rejected(ch, "GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertTrue(e.getMessage().contains("magic"));
  }

  @Test
  void wrongVersionIsRejected() {
    byte[] bad = encode(sample());
    bad[4] = (byte) (WireFormat.VERSION + 1);
    assertTrue(rejected(new EmbeddedChannel(new FrameDecoder(MAX)), bad).getMessage().contains("version"));
  }

  @Test
  void unknownTypeIsRejected() {
    byte[] bad = encode(sample());
    bad[5] = 99;
    assertTrue(rejected(new EmbeddedChannel(new FrameDecoder(MAX)), bad).getMessage().contains("type"));
  }

  @Test
  void oversizedLengthIsRejectedBeforeThePayloadArrives() {
    byte[] big = encode(new Frame(FrameType.LOG_BATCH, 1, new byte[MAX + 1]));
    byte[] headerOnly = java.util.Arrays.copyOf(big, WireFormat.HEADER_BYTES);
    FrameException e = rejected(new EmbeddedChannel(new FrameDecoder(MAX)), headerOnly);
    assertTrue(e.getMessage().contains("exceeds"));
  }

  @Test
  void nothingAfterABadFrameGetsThrough() {
    byte[] bad = encode(sample());
    bad[bad.length - 1] ^= 1;
    byte[] good = encode(sample());
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
    rejected(ch, bad);
    ch.writeInbound(Unpooled.wrappedBuffer(good));
    assertNull(ch.readInbound());
  }

  @Test
  void payloadBytesSurviveTheRoundTrip() {
    byte[] payload = new byte[1000];
    new java.util.SplittableRandom(42).nextBytes(payload);
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
    ch.writeInbound(Unpooled.wrappedBuffer(encode(new Frame(FrameType.SNAPSHOT_CHUNK, 3, payload))));
    assertArrayEquals(payload, ((Frame) ch.readInbound()).payload());
  }
}
