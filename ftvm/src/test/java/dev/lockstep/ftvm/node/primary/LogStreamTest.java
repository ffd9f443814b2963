package dev.lockstep.ftvm.node.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.ft.BackupLink;
import dev.lockstep.ftvm.ft.LogEntry;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogStreamTest {

  /** Records what the stream sends; the real channel is exercised by the integration tests. */
  private static class RecordingLink implements BackupLink {
    final List<LogEntry> entries = new ArrayList<>();
    final List<Long> progress = new ArrayList<>();
    boolean writable = true;

    @Override
    public void sendSnapshot(long icount, byte[] snapshot) {}

    @Override
    public void sendEntries(List<LogEntry> list) {
      entries.addAll(list);
    }

    @Override
    public void sendProgress(long icount) {
      progress.add(icount);
    }

    @Override
    public boolean writable() {
      return writable;
    }

    @Override
    public void close(String reason) {}
  }

  private final List<Event> replayed = new ArrayList<>();
  private long now = 1_000_000_000L;

  @Test
  void numbersChannelEntriesFromOneAfterEachAttachAndMapsAcksBack() {
    LogStream s = new LogStream(replayed::add, () -> now, ImmediateEventExecutor.INSTANCE);
    s.append(Event.ofInt(1, EventKind.RNG, 7));
    s.append(Event.ofInt(2, EventKind.RNG, 8));
    RecordingLink link = new RecordingLink();
    s.attach(link);
    long g3 = s.append(Event.ofInt(3, EventKind.RNG, 9));
    long g4 = s.append(new Event(4, EventKind.NIC_TX, new byte[16]));
    s.flush(5);
    assertEquals(4, replayed.size());
    assertEquals(List.of(1L, 2L), link.entries.stream().map(LogEntry::seq).toList());
    assertEquals(List.of(5L), link.progress);
    assertEquals(3, g3);
    assertEquals(g4, s.acked(2));
    s.flush(5);
    assertEquals(List.of(5L), link.progress, "progress is sent only when the icount moved");
  }

  @Test
  void progressMarkersArePacedAndSkippedWhenEntriesReachTheIcount() {
    LogStream s = new LogStream(replayed::add, () -> now, ImmediateEventExecutor.INSTANCE);
    RecordingLink link = new RecordingLink();
    s.attach(link);
    s.flush(10);
    s.flush(20);
    assertEquals(List.of(10L), link.progress, "a second marker within the interval waits");
    now += LogStream.PROGRESS_INTERVAL_NANOS;
    s.flush(30);
    assertEquals(List.of(10L, 30L), link.progress);
    now += LogStream.PROGRESS_INTERVAL_NANOS;
    s.append(Event.ofInt(40, EventKind.RNG, 1));
    s.flush(40);
    assertEquals(List.of(10L, 30L), link.progress, "the entry at icount 40 vouches for it");
    assertEquals(1, link.entries.size());
    s.flush(41);
    assertEquals(List.of(10L, 30L, 41L), link.progress);
  }

  @Test
  void anOutputAfterAQuietSpellIsSentAtOnceButRidesTheBatchUnderLoad() {
    LogStream s = new LogStream(replayed::add, () -> now, ImmediateEventExecutor.INSTANCE);
    RecordingLink link = new RecordingLink();
    s.attach(link);
    s.append(Event.ofInt(1, EventKind.RNG, 1));
    s.append(new Event(2, EventKind.NIC_TX, new byte[16]));
    s.sendIfCaughtUp();
    assertEquals(2, link.entries.size(), "nothing was outstanding: sent at once");
    s.append(new Event(3, EventKind.NIC_TX, new byte[16]));
    s.sendIfCaughtUp();
    assertEquals(2, link.entries.size(), "entries 1 and 2 are not acked yet: waits for the slice's flush");
    s.acked(2);
    s.sendIfCaughtUp();
    assertEquals(3, link.entries.size());
  }

  @Test
  void withABacklogABatchWaitsToRipenAndWithoutOneItLeavesAtOnce() {
    boolean[] backlog = {true};
    LogStream s = new LogStream(replayed::add, () -> now, ImmediateEventExecutor.INSTANCE);
    s.backlog(() -> backlog[0]);
    RecordingLink link = new RecordingLink();
    s.attach(link);
    long icount = 0;
    for (int i = 1; i < LogStream.RIPE_ENTRIES; i++) {
      s.append(new Event(++icount, EventKind.NIC_TX, new byte[16]));
      s.sendIfCaughtUp();
    }
    s.flush(icount);
    assertEquals(0, link.entries.size(), "one entry short of ripe, and young: waits");
    s.append(new Event(++icount, EventKind.NIC_TX, new byte[16]));
    s.sendIfCaughtUp();
    assertEquals(LogStream.RIPE_ENTRIES, link.entries.size(), "ripe by its entries");

    s.append(new Event(++icount, EventKind.NIC_TX, new byte[16]));
    s.acked(LogStream.RIPE_ENTRIES);
    s.flush(icount);
    assertEquals(LogStream.RIPE_ENTRIES, link.entries.size(), "acked, but one young entry: waits");
    now += LogStream.RIPE_NANOS - 1;
    s.flush(icount);
    assertEquals(LogStream.RIPE_ENTRIES, link.entries.size());
    now += 1;
    s.flush(icount);
    assertEquals(LogStream.RIPE_ENTRIES + 1, link.entries.size(), "ripe by its age");

    backlog[0] = false;
    s.append(new Event(++icount, EventKind.NIC_TX, new byte[16]));
    s.flush(icount);
    assertEquals(LogStream.RIPE_ENTRIES + 1, link.entries.size(), "the batch in flight is not acked");
    s.acked(LogStream.RIPE_ENTRIES + 1);
    assertEquals(LogStream.RIPE_ENTRIES + 2, link.entries.size(), "no backlog: leaves with the ack");
  }

  @Test
  void fullWhenTheChannelPushesBackOrTheBufferIsFull() {
    LogStream s = new LogStream(e -> {}, () -> now, ImmediateEventExecutor.INSTANCE);
    RecordingLink link = new RecordingLink();
    s.attach(link);
    assertFalse(s.full());
    link.writable = false;
    assertTrue(s.full());
    link.writable = true;
    byte[] big = new byte[8192];
    long n = LogStream.LOG_BUFFER_BYTES_MAX / big.length + 1;
    for (int i = 0; i < n; i++) {
      s.append(new Event(i, EventKind.NIC_TX, big));
    }
    assertTrue(s.full());
    s.acked(n);
    assertFalse(s.full());
    s.detach(link);
    assertFalse(s.attached());
  }

  @Test
  void acksFreeExactlyTheBytesOfTheEntriesTheyCoverHoweverManyAreUnacked() {
    LogStream s = new LogStream(e -> {}, () -> now, ImmediateEventExecutor.INSTANCE);
    s.append(Event.ofInt(0, EventKind.RNG, 1)); // before the backup: never counted
    RecordingLink link = new RecordingLink();
    s.attach(link);
    // many small entries (far more than any first bookkeeping size), then big ones past the bound
    int small = 100_000;
    long smallEach = 4 + LogStream.ENTRY_OVERHEAD_BYTES;
    for (int i = 0; i < small; i++) {
      s.append(Event.ofInt(i, EventKind.RNG, i));
    }
    byte[] big = new byte[64 * 1024];
    long bigEach = big.length + LogStream.ENTRY_OVERHEAD_BYTES;
    long bigCount = (LogStream.LOG_BUFFER_BYTES_MAX - small * smallEach) / bigEach + 1;
    for (int i = 0; i < bigCount; i++) {
      assertFalse(s.full(), "full after " + i + " big entries");
      s.append(new Event(small + i, EventKind.NIC_TX, big));
    }
    assertTrue(s.full());
    long over = small * smallEach + bigCount * bigEach - LogStream.LOG_BUFFER_BYTES_MAX;
    long enough = over / smallEach + 1; // the fewest small entries whose acks bring it under the bound
    s.acked(enough - 1);
    assertTrue(s.full(), "one small entry short");
    s.acked(enough);
    assertFalse(s.full());
    s.acked(3); // an old ack changes nothing
    assertFalse(s.full());
    s.append(Event.ofInt(small + bigCount, EventKind.RNG, 0));
    assertTrue(s.full(), "the room freed was one small entry");
  }

  @Test
  void oneBatchInFlightTheNextLeavesWithItsAckAndNoProgressPassesAHeldEntry() {
    LogStream s = new LogStream(replayed::add, () -> now, ImmediateEventExecutor.INSTANCE);
    RecordingLink link = new RecordingLink();
    s.attach(link);
    s.append(new Event(1, EventKind.NIC_TX, new byte[16]));
    s.flush(2);
    assertEquals(1, link.entries.size());
    assertEquals(List.of(2L), link.progress);
    now += LogStream.PROGRESS_INTERVAL_NANOS;
    s.append(new Event(5, EventKind.NIC_TX, new byte[16]));
    s.append(new Event(6, EventKind.NIC_TX, new byte[16]));
    s.flush(9);
    assertEquals(1, link.entries.size(), "entry 1 is in flight: 5 and 6 wait for its ack");
    assertEquals(List.of(2L), link.progress, "no marker past the held entries");
    s.acked(1);
    assertEquals(List.of(1L, 2L, 3L), link.entries.stream().map(LogEntry::seq).toList(), "sent with the ack");
    assertEquals(List.of(2L, 9L), link.progress, "the marker asked for while they were held follows them");
    s.append(new Event(10, EventKind.NIC_TX, new byte[16]));
    s.flush(10);
    assertEquals(3, link.entries.size());
    now += LogStream.HOLD_NANOS_MAX;
    s.flush(11);
    assertEquals(4, link.entries.size(), "held no longer than HOLD_NANOS_MAX");
    assertEquals(List.of(2L, 9L, 11L), link.progress);
    s.append(new Event(12, EventKind.HALT, new byte[4]));
    s.flushAll(12);
    assertEquals(5, link.entries.size(), "a forced flush does not wait for the ack");
  }

  @Test
  void everySendRunsOnTheChannelsLoopWhoeverAsksForIt() throws Exception {
    io.netty.util.concurrent.DefaultEventExecutor loop = new io.netty.util.concurrent.DefaultEventExecutor();
    try {
      java.util.Set<Thread> senders = java.util.concurrent.ConcurrentHashMap.newKeySet();
      List<Long> seqs = java.util.Collections.synchronizedList(new ArrayList<>());
      RecordingLink link = new RecordingLink() {
        @Override
        public void sendEntries(List<LogEntry> list) {
          senders.add(Thread.currentThread());
          list.forEach(le -> seqs.add(le.seq()));
        }
      };
      LogStream s = new LogStream(replayed::add, System::nanoTime, loop);
      s.attach(link);
      for (int i = 1; i <= 200; i++) {
        s.append(new Event(i, EventKind.NIC_TX, new byte[8]));
        s.flush(i);
        if (i % 7 == 0) {
          long acked = i;
          loop.submit(() -> s.acked(acked)).get(); // acks arrive on the loop, as from the channel
        }
      }
      s.flushAll(201);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> seqs.size() == 200);
      assertEquals(java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList(), seqs, "in order, each once");
      assertEquals(1, senders.size());
      assertTrue(loop.submit(() -> senders.contains(Thread.currentThread())).get(), "only the loop sent");
    } finally {
      loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
