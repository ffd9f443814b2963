package dev.lockstep.harness.sim;

import dev.lockstep.ftvm.sim.Sim;
import dev.lockstep.harness.generator.Context;
import dev.lockstep.harness.generator.Generator;
import dev.lockstep.harness.generator.Invocation;
import dev.lockstep.harness.generator.ProcessTable;
import dev.lockstep.harness.generator.Scheduled;
import dev.lockstep.harness.runner.HistoryRecorder;
import dev.lockstep.harness.workload.Completion;
import dev.lockstep.harness.workload.Outcome;
import dev.lockstep.harness.workload.SimFtTransport;
import dev.lockstep.harness.workload.ValueModel;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The client side of a simulated run, the twin of {@code runner.Workers} on the simulation thread:
 * {@code concurrency} logical threads, each running as one process at a time, asking the generator for
 * its next op when the previous one ended (so the seeded draws happen in one sequence), invoking it at its
 * start time through the process's transport, and recording invocation and completion. A process whose op
 * ends {@code info} is retired: its transport is closed and the thread goes on as a fresh process.
 */
final class SimWorkers {

  private final Sim sim;
  private final Generator generator;
  private final SplittableRandom random;
  private final HistoryRecorder history;
  private final LongSupplier clock;
  private final long originNanos;
  private final IntFunction<SimFtTransport> transports;
  private final boolean lists;
  private final ProcessTable processes;
  private final SimFtTransport[] clients;
  private int running;
  private long issued;

  /**
   * @param clock nanoseconds since the run's origin (the history's time)
   * @param originNanos the Sim's time at the run's origin
   * @param transports a transport for a client id
   * @param lists true for the append guest (reads return lists)
   */
  SimWorkers(Sim sim, Generator generator, SplittableRandom random, HistoryRecorder history, LongSupplier clock,
      long originNanos, IntFunction<SimFtTransport> transports, boolean lists, int concurrency) {
    this.sim = sim;
    this.generator = generator;
    this.random = random;
    this.history = history;
    this.clock = clock;
    this.originNanos = originNanos;
    this.transports = transports;
    this.lists = lists;
    this.processes = new ProcessTable(concurrency);
    this.clients = new SimFtTransport[concurrency];
  }

  void start() {
    for (int t = 0; t < processes.concurrency(); t++) {
      clients[t] = transports.apply(processes.process(t) + 1);
      running++;
      next(t);
    }
  }

  /** True once every thread's generator is exhausted and its last op completed. */
  boolean finished() {
    return running == 0;
  }

  /** A process id no worker has used or will use. */
  int unusedProcess() {
    int max = 0;
    for (int t = 0; t < processes.concurrency(); t++) {
      max = Math.max(max, processes.process(t));
    }
    return max + processes.concurrency();
  }

  /** Closes every transport (an op still in flight is abandoned). */
  void close() {
    for (SimFtTransport c : clients) {
      if (c != null) {
        c.close();
      }
    }
  }

  private void next(int thread) {
    int process = processes.process(thread);
    Optional<Scheduled> s = generator.next(new Context(clock.getAsLong(), thread, process, issued), random);
    if (s.isEmpty()) {
      running--;
      return;
    }
    issued++;
    Invocation invocation = s.get().invocation();
    sim.at(originNanos + s.get().notBeforeNanos(), () -> invoke(thread, process, invocation));
  }

  private void invoke(int thread, int process, Invocation invocation) {
    history.invoke(process, invocation);
    clients[thread].call(ValueModel.request(invocation, lists), result -> {
      Completion done = ValueModel.complete(invocation, result);
      history.complete(process, invocation, done);
      if (done.outcome() == Outcome.INFO) {
        clients[thread].close();
        clients[thread] = transports.apply(processes.retire(thread) + 1);
      }
      next(thread);
    });
  }
}
