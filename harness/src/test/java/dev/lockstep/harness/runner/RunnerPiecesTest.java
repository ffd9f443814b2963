package dev.lockstep.harness.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.ReplayLogHeader;
import dev.lockstep.ftvm.replay.ReplayLogWriter;
import dev.lockstep.harness.generator.Invocation;
import dev.lockstep.harness.workload.Client;
import dev.lockstep.harness.workload.ClientTarget;
import dev.lockstep.harness.workload.Completion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerPiecesTest {

  @Test
  void aStartFailureQuotesTheLogsLastErrorElseItsLastLine(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("stdout.log");
    assertEquals("", TestCluster.lastWords(log), "no log yet");
    Files.write(log, List.of("[main] INFO x - starting", "[main] ERROR x - node n1: cannot listen on 127.0.0.1:5",
        "[main] INFO x - closing", ""));
    assertEquals("; last log line: [main] ERROR x - node n1: cannot listen on 127.0.0.1:5", TestCluster.lastWords(log));
    Files.write(log, List.of("[main] INFO x - starting", "[main] INFO x - waiting for ZooKeeper", ""));
    assertEquals("; last log line: [main] INFO x - waiting for ZooKeeper", TestCluster.lastWords(log));
  }

  @Test
  void childSeedsAreStableAndDistinct() {
    Seeds a = new Seeds(5);
    assertEquals(a.child("generator"), new Seeds(5).child("generator"));
    assertNotEquals(a.child("generator"), a.child("nemesis"));
    assertNotEquals(a.child("generator"), new Seeds(6).child("generator"));
  }

  @Test
  void historyTimeNeverGoesBackwards() {
    long[] clock = {100};
    HistoryRecorder h = new HistoryRecorder(() -> clock[0]);
    h.invoke(0, Invocation.read(null));
    clock[0] = 50;
    h.complete(0, Invocation.read(null), Completion.ok(3));
    h.nemesis("start-kill", "n1");
    List<RecordedOp> ops = h.snapshot();
    assertEquals(100, ops.get(1).time());
    assertEquals(2, ops.get(2).index());
    assertTrue(ops.get(2).nemesis());
    assertEquals(1, h.counts().ok());
  }

  @Test
  void settingsValidationNamesTheSetting() {
    TestSettings d = TestSettings.defaults();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TestSettings("kv", List.of(),
        0, 1, 1, 1, null, 1, 2, List.of(), 1, 1, 1, 1, null).validate());
    assertTrue(e.getMessage().startsWith("--time-limit"), e.getMessage());
    assertEquals(d, d.validate());
  }

  /** A register in memory: fails the first {@code failures} reads with info, then serves. */
  private static final class Flaky implements Client {
    static final AtomicInteger CALLS = new AtomicInteger();
    final int failures;

    Flaky(int failures) {
      this.failures = failures;
    }

    @Override
    public void open(ClientTarget target, int process) {}

    @Override
    public void setup() {}

    @Override
    public Completion invoke(Invocation invocation) {
      return CALLS.incrementAndGet() <= failures ? Completion.info(null, "timeout") : Completion.ok(null);
    }

    @Override
    public void teardown() {}

    @Override
    public void close() {}
  }

  private static final class StepClock implements RunClock {
    final AtomicLong now = new AtomicLong();

    @Override
    public long nanos() {
      return now.addAndGet(1_000_000L);
    }

    @Override
    public void sleepUntil(long nanos) {
      now.accumulateAndGet(nanos, Math::max);
    }
  }

  @Test
  void livenessRecordsItsReadsAndFailsPastTheBound() throws Exception {
    Flaky.CALLS.set(0);
    HistoryRecorder h = new HistoryRecorder(() -> 0);
    ClientTarget target = new ClientTarget("zk", "c", Duration.ofSeconds(1));
    List<Integer> keys = new ArrayList<>(List.of(0, 1));
    Result ok = Liveness.check(() -> new Flaky(2), target, keys, 100, h, new StepClock(), 1_000_000_000L);
    assertEquals(Verdict.TRUE, ok.verdict());
    assertEquals(4, ok.evidence().get("attempts"));
    assertEquals(8, h.snapshot().size());
    assertTrue(h.snapshot().stream().allMatch(op -> op.process() >= 100), "fresh processes");
    Flaky.CALLS.set(0);
    Result dead = Liveness.check(() -> new Flaky(Integer.MAX_VALUE), target, keys, 200, h, new StepClock(), 50_000_000L);
    assertEquals(Verdict.FALSE, dead.verdict());
  }

  @Test
  void replayLogReaderStopsAtATornTail(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("replay.log");
    byte[] image = "not an elf, only hashed".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (ReplayLogWriter w = ReplayLogWriter.create(log, ReplayLogHeader.of(1 << 20, 0, image))) {
      w.append(Event.ofInt(10, EventKind.RNG, 7));
      w.append(Event.ofInt(20, EventKind.RNG, 8));
    }
    byte[] whole = Files.readAllBytes(log);
    Files.write(log, java.util.Arrays.copyOf(whole, whole.length - 3));
    NodeReplay.Log read = NodeReplay.read(log, image);
    assertEquals(1, read.events().size());
    assertEquals(10, read.events().get(0).icount());
    assertTrue(read.cutShort() != null);
    assertThrows(dev.lockstep.ftvm.replay.ReplayLogException.class, () -> NodeReplay.read(log, new byte[] {1}));
  }
}
