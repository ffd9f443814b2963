package dev.lockstep.ftvm.ft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the logging channel promises its two drivers, run against the real channel (Netty on loopback)
 * and its simulated twin ({@code dev.lockstep.ftvm.sim}): what each side is told, in which order, and
 * when the connection ends and why. A subclass provides a {@link World}.
 */
abstract class LogChannelContract {
  static final Duration BOUND = Duration.ofSeconds(10);
  static final ChannelSettings S = ChannelSettings.of("c1", ChannelSettings.secretOf("s3cret-s3cret"), 4)
      .withTimeouts(Duration.ofMillis(100), Duration.ofMillis(1500));

  /** A primary side, backups, faults on the link between them, and time. */
  interface World extends AutoCloseable {
    Primary startPrimary(ChannelSettings s, String nodeId, PrimaryListener l);

    /** Connects a backup named {@code nodeId} to the primary; the faults below act on its connection. */
    Backup connectBackup(ChannelSettings s, String nodeId, BackupListener l);

    /** Lets time run until {@code condition} holds; fails with {@code what} when it does not within {@code bound}. */
    void await(BooleanSupplier condition, Duration bound, String what);

    /** Lets {@code d} pass; fails with {@code what} as soon as {@code condition} stops holding. */
    void holdsFor(BooleanSupplier condition, Duration d, String what);

    /** Nanoseconds on this world's clock. */
    long nowNanos();

    /** The next frame of {@code type} toward the backup (or the primary) arrives damaged. */
    void corruptNext(boolean toBackup, FrameType type);

    /** The next frame of {@code type} toward the backup (or the primary) arrives stamped with {@code epoch}. */
    void restampNext(boolean toBackup, FrameType type, long epoch);

    /** From now on nothing passes between primary and backup either way, and nothing closes. */
    void silence();

    @Override
    void close();
  }

  interface Primary {
    void advanceEpoch(long newEpoch);
  }

  interface Backup {
    void ack(long seq, long executedIcount);

    void close(String reason);

    boolean connected();
  }

  /** What the primary's driver heard. */
  static final class PrimaryHeard implements PrimaryListener {
    final List<String> connected = new CopyOnWriteArrayList<>();
    final List<long[]> acks = new CopyOnWriteArrayList<>();
    final List<String> lost = new CopyOnWriteArrayList<>();
    volatile BackupLink link;

    @Override
    public void backupConnected(BackupLink l, String backupNodeId) {
      link = l;
      connected.add(backupNodeId);
    }

    @Override
    public void acked(long seq, long executedIcount) {
      acks.add(new long[] {seq, executedIcount});
    }

    @Override
    public void backupLost(String reason) {
      lost.add(reason);
    }
  }

  /** What the backup's driver heard, as one ordered log and by kind. */
  static final class BackupHeard implements BackupListener {
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<List<LogEntry>> batches = new CopyOnWriteArrayList<>();
    final List<byte[]> snapshots = new CopyOnWriteArrayList<>();
    final List<Long> progress = new CopyOnWriteArrayList<>();
    final List<String> lost = new CopyOnWriteArrayList<>();

    @Override
    public void snapshot(long icount, byte[] snapshot) {
      snapshots.add(snapshot);
      log.add("snapshot " + icount);
    }

    @Override
    public void entries(List<LogEntry> entries) {
      batches.add(entries);
      log.add("entries " + entries.get(0).seq() + ".." + entries.get(entries.size() - 1).seq());
    }

    @Override
    public void progress(long icount) {
      progress.add(icount);
      log.add("progress " + icount);
    }

    @Override
    public void primaryLost(String reason) {
      lost.add(reason);
      log.add("lost");
    }

    List<Long> seqs() {
      List<Long> out = new ArrayList<>();
      batches.forEach(b -> b.forEach(e -> out.add(e.seq())));
      return out;
    }
  }

  /** The world under test; each test gets a new one. */
  protected abstract World newWorld();

  private World world;

  @BeforeEach
  void startWorld() {
    world = newWorld();
  }

  @AfterEach
  void stopWorld() {
    world.close();
  }

  static LogEntry entry(long seq) {
    return new LogEntry(seq, new Event(seq * 100, EventKind.NIC_TX, new byte[] {(byte) seq, 7, 7}));
  }

  static List<LogEntry> entries(long from, long to) {
    List<LogEntry> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(entry(s));
    }
    return out;
  }

  /** A primary of {@code S} with one backup of {@code S} connected: both sides know it. */
  private Backup connected(PrimaryHeard p, BackupHeard b) {
    world.startPrimary(S, "p1", p);
    Backup backup = world.connectBackup(S, "b1", b);
    world.await(() -> p.link != null && backup.connected(), BOUND, "the backup connected");
    assertEquals(List.of("b1"), p.connected);
    return backup;
  }

  @Test
  void theSnapshotArrivesWholeBeforeTheEntriesSentAfterIt() {
    PrimaryHeard p = new PrimaryHeard();
    BackupHeard b = new BackupHeard();
    connected(p, b);
    byte[] snap = new byte[3 * S.snapshotChunkBytes() + 5];
    new SplittableRandom(11).nextBytes(snap);
    p.link.sendSnapshot(1000, snap);
    p.link.send(entries(1, 10), 2000);
    world.await(() -> b.progress.size() == 1, BOUND, "the progress marker arrived");
    assertEquals(List.of("snapshot 1000", "entries 1..10", "progress 2000"), b.log);
    assertArrayEquals(snap, b.snapshots.get(0));
  }

  @Test
  void entriesArriveInOrderWholeAndInTheBatchesTheyWereCutInto() {
    PrimaryHeard p = new PrimaryHeard();
    BackupHeard b = new BackupHeard();
    connected(p, b);
    int perFrame = (S.batchBytesMax() - Payloads.BATCH_HEADER_BYTES) / Payloads.entryBytes(entry(1));
    int big = 2 * perFrame + 7;
    p.link.sendEntries(entries(1, 5));
    p.link.sendEntries(entries(6, 5 + big));
    p.link.sendEntries(entries(6 + big, 6 + big));
    world.await(() -> b.seqs().size() == 6 + big, BOUND, "every entry arrived");
    assertEquals(List.of(5, perFrame, perFrame, 7, 1), b.batches.stream().map(List::size).toList());
    List<Long> expected = new ArrayList<>();
    for (long s = 1; s <= 6 + big; s++) {
      expected.add(s);
    }
    assertEquals(expected, b.seqs());
    LogEntry last = b.batches.get(4).get(0);
    LogEntry sent = entry(6 + big);
    assertEquals(sent.event().icount(), last.event().icount());
    assertEquals(sent.event().kind(), last.event().kind());
    assertArrayEquals(sent.event().payload(), last.event().payload());
    assertTrue(b.lost.isEmpty(), b.lost.toString());
  }

  @Test
  void acksComeBackToThePrimaryInOrder() {
    PrimaryHeard p = new PrimaryHeard();
    Backup backup = connected(p, new BackupHeard());
    for (int i = 1; i <= 100; i++) {
      backup.ack(i, i * 1000L);
    }
    world.await(() -> p.acks.size() == 100, BOUND, "every ack arrived");
    for (int i = 1; i <= 100; i++) {
      assertArrayEquals(new long[] {i, i * 1000L}, p.acks.get(i - 1));
    }
  }

  @Test
  void aProgressMarkerFollowsTheEntriesSentWithIt() {
    PrimaryHeard p = new PrimaryHeard();
    BackupHeard b = new BackupHeard();
    connected(p, b);
    p.link.send(entries(1, 3), 90_000_000L);
    p.link.send(List.of(), 90_000_001L);
    p.link.sendProgress(90_000_002L);
    world.await(() -> b.progress.size() == 3, BOUND, "three markers arrived");
    assertEquals(List.of("entries 1..3", "progress 90000000", "progress 90000001", "progress 90000002"), b.log);
  }

  @Test
  void aBackupOfAStaleEpochIsTurnedAway() {
    PrimaryHeard p = new PrimaryHeard();
    world.startPrimary(S.withEpoch(5), "p1", p);
    BackupHeard stale = new BackupHeard();
    world.connectBackup(S, "b1", stale);
    world.await(() -> !stale.lost.isEmpty(), BOUND, "the stale backup was turned away");
    assertEquals(List.of(), p.connected);
    assertEquals(List.of(), p.lost);
    BackupHeard fresh = new BackupHeard();
    Backup b = world.connectBackup(S.withEpoch(5), "b2", fresh);
    world.await(() -> b.connected() && p.link != null, BOUND, "a backup of the primary's epoch connected");
    assertEquals(List.of("b2"), p.connected);
  }

  @Test
  void advancingTheEpochClosesTheBackupOfTheOldOne() {
    PrimaryHeard p = new PrimaryHeard();
    Primary primary = world.startPrimary(S, "p1", p);
    BackupHeard b = new BackupHeard();
    Backup backup = world.connectBackup(S, "b1", b);
    world.await(() -> p.link != null && backup.connected(), BOUND, "the backup connected");
    primary.advanceEpoch(5);
    world.await(() -> !b.lost.isEmpty() && !p.lost.isEmpty(), BOUND, "both sides heard the close");
    assertEquals(List.of("primary closed the channel: epoch advanced to 5"), b.lost);
    assertEquals(List.of("closed by primary: epoch advanced to 5"), p.lost);
  }

  @Test
  void aFrameOfAStaleEpochFromTheBackupClosesTheConnection() {
    PrimaryHeard p = new PrimaryHeard();
    BackupHeard b = new BackupHeard();
    Backup backup = connected(p, b);
    world.restampNext(false, FrameType.ACK, 3);
    backup.ack(7, 700);
    world.await(() -> !b.lost.isEmpty() && !p.lost.isEmpty(), BOUND, "both sides heard the close");
    assertEquals(List.of("StaleEpochException: frame of epoch 3 on a channel of epoch 4"), p.lost);
    assertEquals(List.of("connection closed by primary"), b.lost);
    assertEquals(List.of(), p.acks);
  }

  @Test
  void aFrameOfAStaleEpochFromThePrimaryClosesTheConnection() {
    PrimaryHeard p = new PrimaryHeard();
    BackupHeard b = new BackupHeard();
    connected(p, b);
    world.restampNext(true, FrameType.LOG_BATCH, 3);
    p.link.sendEntries(entries(1, 2));
    world.await(() -> !b.lost.isEmpty() && !p.lost.isEmpty(), BOUND, "both sides heard the close");
    assertEquals(List.of("StaleEpochException: frame of epoch 3 on a channel of epoch 4"), b.lost);
    assertEquals(List.of("connection closed by backup"), p.lost);
    assertEquals(List.of(), b.batches);
  }

  @Test
  void aCorruptFrameClosesTheConnectionAndNothingAfterItIsRead() {
    PrimaryHeard p = new PrimaryHeard();
    BackupHeard b = new BackupHeard();
    connected(p, b);
    p.link.sendEntries(entries(1, 3));
    world.await(() -> b.batches.size() == 1, BOUND, "the first batch arrived");
    world.corruptNext(true, FrameType.LOG_BATCH);
    p.link.sendEntries(entries(4, 6));
    p.link.sendEntries(entries(7, 9));
    world.await(() -> !b.lost.isEmpty() && !p.lost.isEmpty(), BOUND, "both sides heard the close");
    assertTrue(b.lost.get(0).startsWith("FrameException: checksum mismatch on a LOG_BATCH frame"), b.lost.toString());
    assertEquals(List.of("connection closed by backup"), p.lost);
    assertEquals(List.of(1L, 2L, 3L), b.seqs());
  }

  @Test
  void aCorruptAckClosesTheConnectionAndIsNotApplied() {
    PrimaryHeard p = new PrimaryHeard();
    BackupHeard b = new BackupHeard();
    Backup backup = connected(p, b);
    world.corruptNext(false, FrameType.ACK);
    backup.ack(1, 100);
    world.await(() -> !b.lost.isEmpty() && !p.lost.isEmpty(), BOUND, "both sides heard the close");
    assertTrue(p.lost.get(0).startsWith("FrameException: checksum mismatch on a ACK frame"), p.lost.toString());
    assertEquals(List.of("connection closed by primary"), b.lost);
    assertEquals(List.of(), p.acks);
  }

  @Test
  void silenceBeyondTheFailureTimeoutIsDetectedOnBothSides() {
    PrimaryHeard p = new PrimaryHeard();
    BackupHeard b = new BackupHeard();
    connected(p, b);
    world.holdsFor(() -> p.lost.isEmpty() && b.lost.isEmpty(), Duration.ofMillis(300), "heartbeats flow");
    long start = world.nowNanos();
    world.silence();
    world.await(() -> !b.lost.isEmpty() && !p.lost.isEmpty(), BOUND, "both sides declared the other silent");
    long ms = (world.nowNanos() - start) / 1_000_000;
    String silent = "PeerSilentException: peer silent for more than 1500 ms";
    assertEquals(List.of(silent), p.lost);
    assertEquals(List.of(silent), b.lost);
    // the last traffic was at most a heartbeat interval before the silence began
    long earliest = S.failureTimeout().minus(S.heartbeatInterval()).toMillis();
    assertTrue(ms >= earliest, "declared silent after " + ms + " ms");
  }

  @Test
  void heartbeatsKeepAnIdleChannelUp() {
    PrimaryHeard p = new PrimaryHeard();
    BackupHeard b = new BackupHeard();
    Backup backup = connected(p, b);
    world.holdsFor(() -> p.lost.isEmpty() && b.lost.isEmpty() && backup.connected(), S.failureTimeout().multipliedBy(2),
        "an idle channel stays up");
    assertEquals(List.of(), p.lost);
    assertEquals(List.of(), b.lost);
    assertTrue(backup.connected());
  }

  @Test
  void aBackupsCloseTellsThePrimaryItsReason() {
    PrimaryHeard p = new PrimaryHeard();
    BackupHeard b = new BackupHeard();
    Backup backup = connected(p, b);
    backup.close("going away");
    world.await(() -> !b.lost.isEmpty() && !p.lost.isEmpty(), BOUND, "both sides heard the close");
    assertEquals(List.of("backup closed the channel: going away"), p.lost);
    assertEquals(List.of("closed by this backup: going away"), b.lost);
  }

  @Test
  void aPrimarysCloseTellsTheBackupItsReason() {
    PrimaryHeard p = new PrimaryHeard();
    BackupHeard b = new BackupHeard();
    connected(p, b);
    p.link.sendEntries(entries(1, 2));
    p.link.close("shutting down");
    world.await(() -> !b.lost.isEmpty() && !p.lost.isEmpty(), BOUND, "both sides heard the close");
    assertEquals(List.of("entries 1..2", "lost"), b.log, "what was sent before the close arrives first");
    assertEquals(List.of("primary closed the channel: shutting down"), b.lost);
    assertEquals(List.of("closed by primary: shutting down"), p.lost);
  }

  @Test
  void aSecondBackupIsTurnedAwayWhileOneIsConnected() {
    PrimaryHeard p = new PrimaryHeard();
    Backup first = connected(p, new BackupHeard());
    BackupHeard second = new BackupHeard();
    world.connectBackup(S, "b2", second);
    world.await(() -> !second.lost.isEmpty(), BOUND, "the second backup was turned away");
    assertEquals(List.of("primary closed the channel: backup 'b1' is already connected"), second.lost);
    assertEquals(List.of("b1"), p.connected);
    assertTrue(first.connected());
  }
}
