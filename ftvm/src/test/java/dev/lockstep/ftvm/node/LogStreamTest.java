package dev.lockstep.ftvm.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.ft.BackupLink;
import dev.lockstep.ftvm.ft.LogEntry;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogStreamTest {

  /** Records what the stream sends; the real channel is exercised by the integration tests. */
  private static final class RecordingLink implements BackupLink {
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

  @Test
  void numbersChannelEntriesFromOneAfterEachAttachAndMapsAcksBack() {
    LogStream s = new LogStream(replayed::add);
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
  void fullWhenTheChannelPushesBackOrTheBufferIsFull() {
    LogStream s = new LogStream(e -> {});
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
}
