package dev.lockstep.harness.runner;

import dev.lockstep.harness.generator.Invocation;
import dev.lockstep.harness.workload.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The history of a run, appended by every worker and by the nemesis. Thread-safe. Each op gets the next
 * {@code index} and a {@code time} read from the run's clock under the same lock, so time never goes
 * backwards along the index. Bounded: past {@link #OPS_MAX} further ops are refused with an exception
 * (a runaway rate would otherwise exhaust the heap).
 */
public final class HistoryRecorder {

  /** History lines kept at most per run. */
  public static final int OPS_MAX = 5_000_000;

  private final LongSupplier nanosSinceStart;
  private final List<RecordedOp> ops = new ArrayList<>();
  private long lastTime;
  private long ok;
  private long fail;
  private long info;

  public HistoryRecorder(LongSupplier nanosSinceStart) {
    this.nanosSinceStart = nanosSinceStart;
  }

  public synchronized RecordedOp invoke(int process, Invocation invocation) {
    return append("invoke", invocation.f(), invocation.value(), process, null, invocation.key());
  }

  public synchronized RecordedOp complete(int process, Invocation invocation, Completion completion) {
    String type = completion.outcome().name().toLowerCase(java.util.Locale.ROOT);
    switch (completion.outcome()) {
      case OK -> ok++;
      case FAIL -> fail++;
      case INFO -> info++;
    }
    return append(type, invocation.f(), completion.value(), process, completion.error(), invocation.key());
  }

  /** A nemesis op: {@code type} is {@code info}, as Jepsen records faults; {@code f} is start/stop. */
  public synchronized RecordedOp nemesis(String f, Object value) {
    return append("info", f, value, RecordedOp.NEMESIS, null, null);
  }

  public synchronized List<RecordedOp> snapshot() {
    return List.copyOf(ops);
  }

  public synchronized Counts counts() {
    return new Counts(ok, fail, info, ops.size());
  }

  /** Completion counts so far, for the status line. */
  public record Counts(long ok, long fail, long info, long lines) {}

  private RecordedOp append(String type, String f, Object value, int process, String error, Integer key) {
    if (ops.size() >= OPS_MAX) {
      throw new IllegalStateException("history exceeded " + OPS_MAX + " ops; lower --rate or --time-limit");
    }
    long time = Math.max(lastTime, nanosSinceStart.getAsLong());
    lastTime = time;
    RecordedOp op = new RecordedOp(type, f, value, process, time, ops.size(), error, key);
    ops.add(op);
    return op;
  }
}
