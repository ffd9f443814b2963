package dev.lockstep.nemesis.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockstep.nemesis.Nemesis;
import dev.lockstep.nemesis.NemesisException;
import dev.lockstep.nemesis.NemesisOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScheduleRunnerTest {
  /** Applies nothing; fails every stop-kill, to show the runner goes on after a failure. */
  private static final class Recording implements Nemesis {
    final List<String> applied = new ArrayList<>();

    @Override
    public void setup() {}

    @Override
    public NemesisOp invoke(NemesisOp op) {
      if (op.f().equals("stop-kill")) {
        throw new NemesisException("cannot restart");
      }
      applied.add(op.f());
      return op.withValue("done");
    }

    @Override
    public void teardown() {}
  }

  @Test
  void playsEveryStepAtItsTimeAndReportsFailures() throws InterruptedException {
    Schedule schedule = Schedule.generate(ScheduleSpec.of(List.of(Family.MIX), 11, Duration.ofSeconds(60)));
    AtomicLong now = new AtomicLong(1_000);
    List<String> events = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    Recording nemesis = new Recording();
    ScheduleRunner.Listener listener =
        new ScheduleRunner.Listener() {
          @Override
          public void invoked(NemesisOp op) {
            events.add("invoke " + op.f());
            times.add(now.get() - 1_000);
          }

          @Override
          public void completed(NemesisOp op) {
            events.add("ok " + op.f() + " " + op.value());
          }

          @Override
          public void failed(NemesisOp op, RuntimeException error) {
            events.add("fail " + op.f() + " " + error.getMessage());
          }
        };
    int ran = new ScheduleRunner(nemesis, listener, now::get, now::addAndGet).run(schedule, 1_000);

    assertEquals(schedule.steps().size(), ran);
    assertEquals(2 * ran, events.size());
    for (int i = 0; i < ran; i++) {
      NemesisOp op = schedule.steps().get(i).op();
      assertEquals(schedule.steps().get(i).atNanos(), times.get(i));
      assertEquals("invoke " + op.f(), events.get(2 * i));
      String expected = op.f().equals("stop-kill") ? "fail stop-kill cannot restart" : "ok " + op.f() + " done";
      assertEquals(expected, events.get(2 * i + 1));
    }
  }
}
