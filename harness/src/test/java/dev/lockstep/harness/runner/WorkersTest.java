package dev.lockstep.harness.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.harness.generator.Generators;
import dev.lockstep.harness.generator.Invocation;
import dev.lockstep.harness.workload.Client;
import dev.lockstep.harness.workload.ClientTarget;
import dev.lockstep.harness.workload.Completion;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkersTest {

  /** Virtual time: a sleep moves the clock forward instead of waiting. */
  private static final class VirtualClock implements RunClock {
    final AtomicLong now = new AtomicLong();

    @Override
    public long nanos() {
      return now.get();
    }

    @Override
    public void sleepUntil(long nanos) {
      now.accumulateAndGet(nanos, Math::max);
    }
  }

  /** Every fifth call of the whole run ends info, the others ok. */
  private static final class FlakyClient implements Client {
    static final AtomicInteger CALLS = new AtomicInteger();

    @Override
    public void open(ClientTarget target, int process) {}

    @Override
    public void setup() {}

    @Override
    public Completion invoke(Invocation invocation) {
      return CALLS.incrementAndGet() % 5 == 0 ? Completion.info(invocation.value(), "timeout") : Completion.ok(invocation.value());
    }

    @Override
    public void teardown() {}

    @Override
    public void close() {}
  }

  @Test
  void everyInvocationCompletesAndInfoRetiresTheProcess() throws Exception {
    VirtualClock clock = new VirtualClock();
    HistoryRecorder history = new HistoryRecorder(clock::nanos);
    Workers workers = new Workers(FlakyClient::new, new ClientTarget("zk", "c", Duration.ofSeconds(1)),
        Generators.writes(null, 5).rate(100).timeLimit(1_000_000_000L), new SplittableRandom(9), history, clock, 3);
    workers.start();
    assertTrue(workers.join(10_000), "workers finished");
    List<RecordedOp> ops = history.snapshot();
    assertTrue(ops.size() >= 180 && ops.size() <= 204, "about 100 ops in 1 s at 100/s, got " + ops.size() / 2);
    Map<Integer, String> open = new HashMap<>();
    long lastTime = -1;
    for (int i = 0; i < ops.size(); i++) {
      RecordedOp op = ops.get(i);
      assertEquals(i, op.index());
      assertTrue(op.time() >= lastTime, "time monotonic");
      lastTime = op.time();
      if (op.type().equals("invoke")) {
        assertEquals(null, open.put(op.process(), "invoke"), "one op at a time per process");
      } else {
        assertEquals("invoke", open.remove(op.process()), "completion of an invoked op");
        if (op.type().equals("info")) {
          assertTrue(ops.subList(i + 1, ops.size()).stream().noneMatch(o -> o.process() == op.process()),
              "retired process " + op.process() + " never used again");
        }
      }
    }
    assertTrue(open.isEmpty());
    assertTrue(ops.stream().anyMatch(o -> o.process() >= 3), "fresh process ids after info");
  }
}
