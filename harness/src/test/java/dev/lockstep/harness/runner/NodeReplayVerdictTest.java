package dev.lockstep.harness.runner;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.client.GuestProtocol;
import dev.lockstep.ftvm.client.GuestProtocol.Request;
import dev.lockstep.ftvm.guests.Guests;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.host.Recorder;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.replay.ReplayLogHeader;
import dev.lockstep.ftvm.replay.ReplayLogReader;
import dev.lockstep.ftvm.replay.ReplayLogWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep replay} tells a complete log, a log that ends early (a kill) and a real mismatch apart. */
class NodeReplayVerdictTest {
  private static final int REQUESTS = 20;
  @TempDir Path run;
  byte[] kv;
  Path log;

  /** Records a kv guest serving a few requests, ended cleanly (SHUTDOWN), as node n1's replay log. */
  @BeforeEach
  void record() throws Exception {
    kv = Guests.load("kv");
    log = Files.createDirectories(run.resolve("nodes/n1")).resolve("replay.log");
    try (ReplayLogWriter w = ReplayLogWriter.create(log, ReplayLogHeader.of(MachineConfig.RAM_BYTES_DEFAULT, 0, kv))) {
      Machine m = Machine.boot(kv, MachineConfig.defaults(), HostPort.UNATTACHED);
      SplittableRandom random = new SplittableRandom(5);
      AtomicInteger replies = new AtomicInteger();
      Recorder r = new Recorder(m, HostClock.SYSTEM, random::nextInt, w, null, e -> {
        if (e.kind() == EventKind.NIC_TX) {
          replies.incrementAndGet();
        }
      }, 50_000);
      for (int i = 1; i <= REQUESTS; i++) {
        r.offerPacket(GuestProtocol.encode(Request.write(1, i, i % 3, i)));
      }
      CompletableFuture<Recorder.Outcome> run = CompletableFuture.supplyAsync(() -> r.run(Long.MAX_VALUE));
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> replies.get() == REQUESTS);
      } finally {
        r.requestShutdown();
        assertEquals(Recorder.Outcome.SHUTDOWN, run.get(30, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void aCompleteLogIsIdentical() throws Exception {
    NodeReplay.Outcome o = NodeReplay.replayAll(run, "kv").get(0);
    assertEquals(NodeReplay.Verdict.IDENTICAL, o.verdict(), o.detail());
    assertTrue(o.detail().contains("SHUTDOWN"), o.detail());
  }

  @Test
  void aLogCutShortByAKillIsIncompleteAndNamesWhereItEnds() throws Exception {
    byte[] whole = Files.readAllBytes(log);
    Files.write(log, java.util.Arrays.copyOf(whole, whole.length * 2 / 3)); // a torn tail, as SIGKILL leaves
    NodeReplay.Outcome o = NodeReplay.replayAll(run, "kv").get(0);
    assertEquals(NodeReplay.Verdict.INCOMPLETE, o.verdict(), o.detail());
    assertTrue(o.detail().contains("identical up to icount") && o.detail().contains("cut short"), o.detail());

    Files.write(log, java.util.Arrays.copyOf(whole, 20)); // killed before the header was whole
    o = NodeReplay.replayAll(run, "kv").get(0);
    assertEquals(NodeReplay.Verdict.INCOMPLETE, o.verdict(), o.detail());
  }

  @Test
  void aChangedInputIsDifferentAtItsIcount() throws Exception {
    List<Event> events = new ArrayList<>();
    ReplayLogHeader header;
    try (ReplayLogReader r = ReplayLogReader.open(log)) {
      header = r.header();
      Event e;
      while ((e = r.take()) != null) {
        events.add(e);
      }
    }
    int victim = 0;
    while (events.get(victim).kind() != EventKind.PACKET) {
      victim++;
    }
    Event p = events.get(victim);
    byte[] changed = p.payload().clone();
    changed[changed.length - 1] ^= 1;
    events.set(victim, new Event(p.icount(), EventKind.PACKET, changed));
    try (ReplayLogWriter w = ReplayLogWriter.create(log, header)) {
      events.forEach(w::append);
    }
    NodeReplay.Outcome o = NodeReplay.replayAll(run, "kv").get(0);
    assertEquals(NodeReplay.Verdict.DIFFERENT, o.verdict(), o.detail());
    assertTrue(o.detail().startsWith("first difference at icount"), o.detail());
  }
}
