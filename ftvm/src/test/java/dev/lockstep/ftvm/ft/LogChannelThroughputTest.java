package dev.lockstep.ftvm.ft;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Streams many entries primary to backup on loopback with acks flowing back, checks every one arrived in
 * order, and prints the rate it saw as {@code name=value} lines (a figure, not a pass mark).
 */
class LogChannelThroughputTest {
  private static final int ENTRIES = 200_000;
  private static final int BATCH = 100;
  private static final int PAYLOAD_BYTES = 32;

  @Test
  void streamsEntriesInOrderWithAcks() throws Exception {
    ChannelSettings s = ChannelSettings.of("bench", ChannelSettings.secretOf("bench-secret"), 1)
        .withTimeouts(Duration.ofMillis(200), Duration.ofSeconds(5));
    Recorders.Primary p = new Recorders.Primary();
    AtomicLong lastSeq = new AtomicLong();
    AtomicLong outOfOrder = new AtomicLong();
    LogClient[] client = new LogClient[1];
    BackupListener counting = new Recorders.Backup() {
      @Override
      public void entries(List<LogEntry> batch) {
        for (LogEntry e : batch) {
          if (e.seq() != lastSeq.get() + 1) {
            outOfOrder.incrementAndGet();
          }
          lastSeq.set(e.seq());
        }
        client[0].ack(lastSeq.get(), batch.get(batch.size() - 1).event().icount());
      }
    };
    try (LogServer server = LogServer.start(new InetSocketAddress("127.0.0.1", 0), s, "p", p)) {
      client[0] = LogClient.connect(server.address(), s, "b", counting);
      try {
        client[0].ready().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> p.link != null);
        long t0 = System.nanoTime();
        List<LogEntry> batch = new ArrayList<>(BATCH);
        for (long seq = 1; seq <= ENTRIES; seq++) {
          batch.add(new LogEntry(seq, new Event(seq * 10, EventKind.PACKET, new byte[PAYLOAD_BYTES])));
          if (batch.size() == BATCH) {
            while (!p.link.writable()) {
              Thread.onSpinWait();
            }
            p.link.sendEntries(batch);
            batch = new ArrayList<>(BATCH);
          }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> !p.acks.isEmpty() && p.acks.get(p.acks.size() - 1)[0] == ENTRIES);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, outOfOrder.get());
        assertEquals(ENTRIES, lastSeq.get());
        System.out.printf("log_channel_entries_per_s=%.0f%n", ENTRIES / seconds);
        System.out.printf("log_channel_bytes_per_entry=%.1f%n", server.stats().bytesSent() / (double) ENTRIES);
        System.out.printf("log_channel_mb_per_s=%.1f%n", server.stats().bytesSent() / seconds / 1e6);
      } finally {
        client[0].close();
      }
    }
  }
}
