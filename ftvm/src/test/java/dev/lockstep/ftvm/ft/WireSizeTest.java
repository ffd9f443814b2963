package dev.lockstep.ftvm.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sizes the simulated channel charges are the bytes the real pipeline writes. */
class WireSizeTest {
  private static final ChannelSettings S = ChannelSettings.of("c1", ChannelSettings.secretOf("s3cret-s3cret"), 4);

  @Test
  void sizesMatchTheAuthenticatedFramesOnTheWire() {
    ChannelPair pair = new ChannelPair(S, S);
    pair.pump();
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      entries.add(new LogEntry(i, new Event(i * 1_000_003L, EventKind.NIC_TX, new byte[i * 7])));
    }
    assertEquals(WireSize.batchFrame(entries), pair.fromPrimary(new Frame(FrameType.LOG_BATCH, 4, Payloads.batch(entries))).length);
    assertEquals(WireSize.progressFrame(), pair.fromPrimary(new Frame(FrameType.PROGRESS, 4, Payloads.progress(77))).length);
    assertEquals(WireSize.heartbeatFrame(), pair.fromPrimary(new Frame(FrameType.HEARTBEAT, 4, new byte[0])).length);
    assertEquals(WireSize.closeFrame("bye"), pair.fromPrimary(new Frame(FrameType.CONTROL, 4, Payloads.close("bye"))).length);
    byte[] data = new byte[1000];
    assertEquals(WireSize.snapshotChunkFrame(1000), pair.fromPrimary(new Frame(FrameType.SNAPSHOT_CHUNK, 4,
        Payloads.snapshotChunk(new Payloads.SnapshotChunk(1, 1000, 0, data)))).length);
    assertEquals(WireSize.ackFrame(), pair.fromPrimary(new Frame(FrameType.ACK, 4,
        Payloads.ack(new Payloads.Ack(1, 2)))).length);
  }

  @Test
  void handshakeSizesMatchTheUntaggedFrames() {
    EmbeddedChannel enc = new EmbeddedChannel(new FrameEncoder());
    enc.writeOutbound(new Frame(FrameType.HELLO, 4,
        Payloads.hello(new Payloads.Hello("c1", "b1", new byte[Payloads.NONCE_BYTES]))));
    assertEquals(WireSize.helloFrame("c1", "b1"), ChannelPair.drain(enc).length);
    enc.writeOutbound(new Frame(FrameType.CHALLENGE, 4,
        Payloads.challenge(new Payloads.Challenge("p1", new byte[Payloads.NONCE_BYTES], new byte[Payloads.MAC_BYTES]))));
    assertEquals(WireSize.challengeFrame("p1"), ChannelPair.drain(enc).length);
    enc.writeOutbound(new Frame(FrameType.RESPONSE, 4, Payloads.response(new byte[Payloads.MAC_BYTES])));
    assertEquals(WireSize.responseFrame(), ChannelPair.drain(enc).length);
  }

  @Test
  void batchesAreCutAsTheRealPrimaryCutsThem() {
    int per = (S.batchBytesMax() - Payloads.BATCH_HEADER_BYTES) / Payloads.entryBytes(LogChannelContract.entry(1));
    List<List<LogEntry>> cut = WireSize.batches(LogChannelContract.entries(1, 2L * per + 3), S.batchBytesMax());
    assertEquals(List.of(per, per, 3), cut.stream().map(List::size).toList());
  }
}
