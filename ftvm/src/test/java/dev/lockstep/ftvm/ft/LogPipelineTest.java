package dev.lockstep.ftvm.ft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The whole logging-channel pipeline on EmbeddedChannels: handshake, traffic, and every way to be refused. */
class LogPipelineTest {
  private static final byte[] SECRET = ChannelSettings.secretOf("correct horse battery");
  private static final ChannelSettings S = ChannelSettings.of("c1", SECRET, 3);

  private static LogEntry entry(long seq, long icount) {
    return new LogEntry(seq, new Event(icount, EventKind.PACKET, new byte[] {(byte) seq, 2, 3}));
  }

  private static byte[] frame(FrameType type, long epoch, byte[] payload) {
    EmbeddedChannel enc = new EmbeddedChannel(new FrameEncoder());
    enc.writeOutbound(new Frame(type, epoch, payload));
    return ChannelPair.drain(enc);
  }

  private static byte[] batch(long epoch, LogEntry... entries) {
    return frame(FrameType.LOG_BATCH, epoch, Payloads.batch(List.of(entries)));
  }

  private static Frame batchFrame(LogEntry... entries) {
    return new Frame(FrameType.LOG_BATCH, 3, Payloads.batch(List.of(entries)));
  }

  private static ChannelPair connected() {
    ChannelPair p = new ChannelPair(S, S);
    p.pump();
    assertEquals(List.of("b1"), p.primaryHeard.connected);
    return p;
  }

  @Test
  void handshakeThenEntriesAcksProgressAndSnapshot() {
    ChannelPair p = connected();
    BackupLink link = p.primaryHeard.link;
    link.sendEntries(List.of(entry(1, 10), entry(2, 20)));
    link.sendEntries(List.of(entry(3, 30)));
    link.sendProgress(35);
    byte[] snap = new byte[S.snapshotChunkBytes() * 2 + 17];
    new java.util.SplittableRandom(7).nextBytes(snap);
    link.sendSnapshot(35, snap);
    p.pump();
    assertEquals(List.of(1L, 2L, 3L), p.backupHeard.entries.stream().map(LogEntry::seq).toList());
    assertEquals(30L, p.backupHeard.entries.get(2).event().icount());
    assertArrayEquals(new byte[] {2, 2, 3}, p.backupHeard.entries.get(1).event().payload());
    assertEquals(List.of(35L), p.backupHeard.progress);
    assertEquals(List.of(35L), p.backupHeard.snapshotIcounts);
    assertArrayEquals(snap, p.backupHeard.snapshots.get(0));
    p.backup.writeAndFlush(new Frame(FrameType.ACK, 3, Payloads.ack(new Payloads.Ack(3, 29))));
    p.pump();
    assertEquals(1, p.primaryHeard.acks.size());
    assertArrayEquals(new long[] {3, 29}, p.primaryHeard.acks.get(0));
    assertTrue(p.primary.isOpen() && p.backup.isOpen());
  }

  @Test
  void largeListsAreSplitIntoBoundedBatches() {
    ChannelSettings small = S.withFrameBytesMax(4096, 1024, 2048);
    ChannelPair p = new ChannelPair(small, small);
    p.pump();
    List<LogEntry> many = new java.util.ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      many.add(entry(i, i * 10L));
    }
    p.primaryHeard.link.sendEntries(many);
    assertTrue(p.primary.outboundMessages().size() > 1);
    p.pump();
    assertEquals(200, p.backupHeard.entries.size());
    assertThrows(IllegalArgumentException.class, () -> p.primaryHeard.link.sendEntries(List.of(entry(202, 1))));
  }

  @Test
  void wrongSecretOnTheBackupIsRefusedByThePrimary() {
    ChannelPair p = new ChannelPair(S, ChannelSettings.of("c1", ChannelSettings.secretOf("guessed secret"), 3));
    p.pump();
    // The backup already refuses the primary's proof, so neither side ever completes.
    assertTrue(p.primaryHeard.connected.isEmpty());
    assertFalse(p.backup.isOpen());
    assertTrue(p.backupHeard.lost.get(0).contains("HandshakeException"), p.backupHeard.lost.toString());
  }

  @Test
  void badResponseHmacIsRefused() {
    EmbeddedChannel primary = ChannelPair.pipeline(HandshakeHandler.Side.PRIMARY, S, "p1",
        new LogServerHandler(S, new Recorders.Primary(), new BackupSlot(S.epoch())));
    byte[] nonce = new byte[Payloads.NONCE_BYTES];
    primary.writeInbound(Unpooled.wrappedBuffer(frame(FrameType.HELLO, 3,
        Payloads.hello(new Payloads.Hello("c1", "intruder", nonce)))));
    assertTrue(ChannelPair.drain(primary).length > 0, "a challenge goes out");
    primary.writeInbound(Unpooled.wrappedBuffer(frame(FrameType.RESPONSE, 3, Payloads.response(new byte[32]))));
    assertFalse(primary.isOpen());
  }

  @Test
  void otherClusterIsRefused() {
    ChannelPair p = new ChannelPair(S, ChannelSettings.of("c2", SECRET, 3));
    p.pump();
    assertTrue(p.primaryHeard.connected.isEmpty());
    assertFalse(p.primary.isOpen(), "the primary closes its end; over TCP the backup then sees the close");
  }

  @Test
  void staleEpochIsRefusedAtTheHandshake() {
    ChannelPair p = new ChannelPair(S, S.withEpoch(2));
    p.pump();
    assertTrue(p.primaryHeard.connected.isEmpty());
    assertFalse(p.primary.isOpen());
  }

  @Test
  void logTrafficBeforeTheHandshakeIsNeverApplied() {
    Recorders.Backup heard = new Recorders.Backup();
    EmbeddedChannel backup = ChannelPair.pipeline(HandshakeHandler.Side.BACKUP, S, "b1",
        new LogClientHandler(S, heard, new CompletableFuture<>()));
    ChannelPair.drain(backup);
    backup.writeInbound(Unpooled.wrappedBuffer(batch(3, entry(1, 10))));
    assertTrue(heard.entries.isEmpty());
    assertFalse(backup.isOpen());
    assertTrue(heard.lost.get(0).contains("HandshakeException"), heard.lost.toString());
  }

  @Test
  void forgedChallengeIsRefused() {
    Recorders.Backup heard = new Recorders.Backup();
    EmbeddedChannel backup = ChannelPair.pipeline(HandshakeHandler.Side.BACKUP, S, "b1",
        new LogClientHandler(S, heard, new CompletableFuture<>()));
    ChannelPair.drain(backup);
    backup.writeInbound(Unpooled.wrappedBuffer(frame(FrameType.CHALLENGE, 3,
        Payloads.challenge(new Payloads.Challenge("fake", new byte[16], new byte[32])))));
    assertFalse(backup.isOpen());
    assertTrue(heard.lost.get(0).contains("bad HMAC"), heard.lost.toString());
  }

  @Test
  void corruptFrameAfterTheHandshakeClosesAndNothingAfterIsApplied() {
    ChannelPair p = connected();
    byte[] good = p.fromPrimary(batchFrame(entry(1, 10)));
    byte[] corrupt = p.fromPrimary(batchFrame(entry(2, 20)));
    corrupt[WireFormat.HEADER_BYTES + 5] ^= 1;
    byte[] later = p.fromPrimary(batchFrame(entry(3, 30)));
    // All three in one read, as TCP may deliver them.
    p.backup.writeInbound(Unpooled.wrappedBuffer(good, corrupt, later));
    assertEquals(List.of(1L), p.backupHeard.entries.stream().map(LogEntry::seq).toList());
    assertFalse(p.backup.isOpen());
    assertTrue(p.backupHeard.lost.get(0).contains("checksum"), p.backupHeard.lost.toString());
  }

  @Test
  void truncatedFrameAtCloseIsReportedAndNotApplied() {
    ChannelPair p = connected();
    byte[] whole = p.fromPrimary(batchFrame(entry(1, 10)));
    p.backup.writeInbound(Unpooled.wrappedBuffer(java.util.Arrays.copyOf(whole, whole.length - 1)));
    p.backup.close();
    assertTrue(p.backupHeard.entries.isEmpty());
    assertEquals(1, p.backupHeard.lost.size());
  }

  @Test
  void anUntaggedFrameAfterTheHandshakeIsRefused() {
    ChannelPair p = connected();
    // long enough that its last 32 bytes are taken for a tag, and fail the check
    p.backup.writeInbound(Unpooled.wrappedBuffer(
        batch(3, entry(1, 10), entry(2, 20), entry(3, 30), entry(4, 40), entry(5, 50), entry(6, 60))));
    assertTrue(p.backupHeard.entries.isEmpty());
    assertFalse(p.backup.isOpen());
    assertTrue(p.backupHeard.lost.get(0).contains("failed authentication"), p.backupHeard.lost.toString());
  }

  @Test
  void aReplayedAuthenticFrameIsRefused() {
    ChannelPair p = connected();
    byte[] first = p.fromPrimary(batchFrame(entry(1, 10)));
    p.backup.writeInbound(Unpooled.wrappedBuffer(first));
    p.backup.writeInbound(Unpooled.wrappedBuffer(first.clone()));
    assertEquals(List.of(1L), p.backupHeard.entries.stream().map(LogEntry::seq).toList());
    assertFalse(p.backup.isOpen());
  }

  @Test
  void anAlteredFrameWithAValidChecksumIsRefused() {
    ChannelPair p = connected();
    byte[] bytes = p.fromPrimary(batchFrame(entry(1, 10)));
    // An on-path rewrite: change the entry's icount and fix the CRC, as anyone can.
    bytes[WireFormat.HEADER_BYTES + 4 + 8 + 7] ^= 1;
    int crcAt = bytes.length - WireFormat.TRAILER_BYTES;
    int crc = WireFormat.crc(java.nio.ByteBuffer.wrap(bytes, 0, crcAt));
    java.nio.ByteBuffer.wrap(bytes).putInt(crcAt, crc);
    p.backup.writeInbound(Unpooled.wrappedBuffer(bytes));
    assertTrue(p.backupHeard.entries.isEmpty());
    assertTrue(p.backupHeard.lost.get(0).contains("authentication"), p.backupHeard.lost.toString());
  }

  @Test
  void replayedFrameFromAnOldEpochIsRefused() {
    ChannelPair p = connected();
    p.backup.writeInbound(Unpooled.wrappedBuffer(batch(2, entry(1, 10))));
    assertTrue(p.backupHeard.entries.isEmpty());
    assertFalse(p.backup.isOpen());
    assertTrue(p.backupHeard.lost.get(0).contains("StaleEpochException"), p.backupHeard.lost.toString());
  }

  @Test
  void gapInSequenceNumbersIsRefused() {
    ChannelPair p = connected();
    p.backup.writeInbound(Unpooled.wrappedBuffer(p.fromPrimary(batchFrame(entry(5, 10)))));
    p.backup.writeInbound(Unpooled.wrappedBuffer(p.fromPrimary(batchFrame(entry(7, 20)))));
    assertEquals(List.of(5L), p.backupHeard.entries.stream().map(LogEntry::seq).toList());
    assertFalse(p.backup.isOpen());
  }

  @Test
  void oversizedFrameIsRefused() {
    ChannelPair p = connected();
    byte[] big = frame(FrameType.LOG_BATCH, 3, new byte[S.frameBytesMax() + FrameMacHandler.TAG_BYTES + 1]);
    p.backup.writeInbound(Unpooled.wrappedBuffer(java.util.Arrays.copyOf(big, WireFormat.HEADER_BYTES)));
    assertFalse(p.backup.isOpen());
    assertTrue(p.backupHeard.lost.get(0).contains("exceeds"), p.backupHeard.lost.toString());
  }

  @Test
  void silenceBeyondTheTimeoutLosesThePeerAndHeartbeatsKeepItAlive() {
    ChannelSettings fast = S.withTimeouts(Duration.ofMillis(50), Duration.ofMillis(200));
    ChannelPair p = new ChannelPair(fast, fast);
    p.pump();
    for (int i = 0; i < 10; i++) {
      p.primary.advanceTimeBy(60, TimeUnit.MILLISECONDS);
      p.backup.advanceTimeBy(60, TimeUnit.MILLISECONDS);
      p.primary.runScheduledPendingTasks();
      p.backup.runScheduledPendingTasks();
      p.pump();
    }
    assertTrue(p.primary.isOpen() && p.backup.isOpen(), "heartbeats every 50 ms keep a 200 ms timeout at bay");
    p.primary.advanceTimeBy(250, TimeUnit.MILLISECONDS);
    p.primary.runScheduledPendingTasks();
    ChannelPair.drain(p.primary);
    p.primary.advanceTimeBy(250, TimeUnit.MILLISECONDS);
    p.primary.runScheduledPendingTasks();
    assertFalse(p.primary.isOpen());
    assertTrue(p.primaryHeard.lost.get(0).contains("silent"), p.primaryHeard.lost.toString());
  }

  @Test
  void closeWithReasonReachesThePeer() {
    ChannelPair p = connected();
    p.primaryHeard.link.close("shutting down");
    p.pump();
    assertFalse(p.backup.isOpen());
    assertTrue(p.backupHeard.lost.get(0).contains("shutting down"), p.backupHeard.lost.toString());
    assertEquals(1, p.primaryHeard.lost.size());
  }
}
