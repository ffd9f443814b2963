package dev.lockstep.nemesis.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.nemesis.Seeds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The relay on embedded channels and a mock ticker: release times are exact and reproducible. */
class RelayTest {
  private static final long MS = 1_000_000L;

  private final MockTicker ticker = Ticker.newMockTicker();
  private final EmbeddedChannel source = EmbeddedChannel.builder().ticker(ticker).build();
  private final EmbeddedChannel sink = EmbeddedChannel.builder().ticker(ticker).build();

  private Relay relay(LinkState link, long seed) {
    return new Relay(link, Direction.UPSTREAM, source, sink, new SplittableRandom(Seeds.derive(seed, 0, 0)));
  }

  private LinkState link(int queueBytesMax) {
    return new LinkState(ticker::nanoTime, queueBytesMax);
  }

  /** Advances 1 ms at a time and returns, per chunk delivered, the ms at which it reached the sink. */
  private List<Long> releaseTimes(int chunks, long horizonMs) {
    long start = ticker.nanoTime();
    List<Long> times = new ArrayList<>();
    for (long ms = 0; ms <= horizonMs && times.size() < chunks; ms++) {
      source.runScheduledPendingTasks();
      ByteBuf out;
      while ((out = sink.readOutbound()) != null) {
        times.add((ticker.nanoTime() - start) / MS);
        out.release();
      }
      ticker.advance(1, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    return times;
  }

  private List<Long> delayedRun(long seed) {
    LinkState link = link(FaultProxy.QUEUE_BYTES_MAX_DEFAULT);
    link.set(Direction.UPSTREAM, Fault.delay(Duration.ofMillis(100), Duration.ofMillis(50)));
    Relay relay = relay(link, seed);
    for (int i = 0; i < 20; i++) {
      relay.accept(Unpooled.wrappedBuffer(new byte[] {(byte) i}));
    }
    return releaseTimes(20, 1_000);
  }

  @Test
  void jitterIsReproducibleFromTheSeedAndNeverReorders() {
    List<Long> first = delayedRun(1);
    assertEquals(20, first.size());
    assertEquals(first, new RelayTest().delayedRun(1));
    assertNotEquals(first, new RelayTest().delayedRun(2));
    for (int i = 0; i < first.size(); i++) {
      assertTrue(first.get(i) >= 50 && first.get(i) <= 150, "release at " + first.get(i) + " ms");
      if (i > 0) {
        assertTrue(first.get(i) >= first.get(i - 1), "reordered: " + first);
      }
    }
  }

  @Test
  void throttleReleasesAtTheConfiguredRate() {
    LinkState link = link(FaultProxy.QUEUE_BYTES_MAX_DEFAULT);
    link.set(Direction.UPSTREAM, Fault.throttle(6_400));
    relay(link, 0).accept(Unpooled.wrappedBuffer(new byte[640]));
    // 640 bytes in slices of 320 (a twentieth of a second's worth): one every 50 ms.
    assertEquals(List.of(50L, 100L), releaseTimes(2, 1_000));
  }

  @Test
  void cutHoldsAndStopsReadingThenHealReleasesInOrder() {
    LinkState link = link(FaultProxy.QUEUE_BYTES_MAX_DEFAULT);
    Relay relay = relay(link, 0);
    link.set(Direction.UPSTREAM, Fault.cut());
    relay.accept(Unpooled.wrappedBuffer(new byte[] {1}));
    relay.accept(Unpooled.wrappedBuffer(new byte[] {2}));
    assertFalse(source.config().isAutoRead(), "a cut link must stop reading the sender");
    assertEquals(List.of(), releaseTimes(2, 100));
    link.set(Direction.UPSTREAM, Fault.pass());
    relay.refresh();
    ByteBuf a = sink.readOutbound();
    ByteBuf b = sink.readOutbound();
    assertEquals(1, a.getByte(0));
    assertEquals(2, b.getByte(0));
    a.release();
    b.release();
    assertTrue(source.config().isAutoRead());
  }

  @Test
  void aFullQueueStopsReadingUntilItDrains() {
    LinkState link = link(100);
    link.set(Direction.UPSTREAM, Fault.delay(Duration.ofMillis(10), Duration.ZERO));
    Relay relay = relay(link, 0);
    relay.accept(Unpooled.wrappedBuffer(new byte[60]));
    assertTrue(source.config().isAutoRead());
    relay.accept(Unpooled.wrappedBuffer(new byte[60]));
    assertFalse(source.config().isAutoRead(), "120 queued bytes exceed the 100-byte bound");
    assertEquals(List.of(10L, 10L), releaseTimes(2, 100));
    assertTrue(source.config().isAutoRead());
  }

  @Test
  void dropDiscards() {
    LinkState link = link(FaultProxy.QUEUE_BYTES_MAX_DEFAULT);
    link.set(Direction.UPSTREAM, Fault.drop());
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {1});
    relay(link, 0).accept(buf);
    assertEquals(0, buf.refCnt());
    assertEquals(List.of(), releaseTimes(1, 10));
  }

  @Test
  void healReleasesThrottledAndDelayedBytesAtOnce() {
    LinkState link = link(FaultProxy.QUEUE_BYTES_MAX_DEFAULT);
    link.set(Direction.UPSTREAM, Fault.throttle(100));
    Relay relay = relay(link, 0);
    relay.accept(Unpooled.wrappedBuffer(new byte[640]));
    // Slices of 64 bytes at 100 B/s: the first is due after 640 ms, the last after 6.4 s.
    assertEquals(List.of(640L), releaseTimes(1, 1_000));
    link.set(Direction.UPSTREAM, Fault.pass());
    relay.refresh();
    int delivered = 0;
    ByteBuf out;
    while ((out = sink.readOutbound()) != null) {
      delivered += out.readableBytes();
      out.release();
    }
    assertEquals(640 - 64, delivered, "a heal must release the rest of the queue at once");
  }

  @Test
  void afterAHealNewBytesAreNotPacedByTheOldSchedule() {
    LinkState link = link(FaultProxy.QUEUE_BYTES_MAX_DEFAULT);
    link.set(Direction.UPSTREAM, Fault.delay(Duration.ofSeconds(60), Duration.ZERO));
    Relay relay = relay(link, 0);
    relay.accept(Unpooled.wrappedBuffer(new byte[] {1}));
    link.set(Direction.UPSTREAM, Fault.pass());
    relay.refresh();
    ((ByteBuf) sink.readOutbound()).release();
    link.set(Direction.UPSTREAM, Fault.delay(Duration.ofMillis(5), Duration.ZERO));
    relay.accept(Unpooled.wrappedBuffer(new byte[] {2}));
    assertEquals(List.of(5L), releaseTimes(1, 100));
  }
}
