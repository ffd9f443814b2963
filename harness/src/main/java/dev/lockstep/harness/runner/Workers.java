package dev.lockstep.harness.runner;

import dev.lockstep.harness.generator.Context;
import dev.lockstep.harness.generator.Generator;
import dev.lockstep.harness.generator.ProcessTable;
import dev.lockstep.harness.generator.Scheduled;
import dev.lockstep.harness.workload.Client;
import dev.lockstep.harness.workload.ClientException;
import dev.lockstep.harness.workload.ClientTarget;
import dev.lockstep.harness.workload.Completion;
import dev.lockstep.harness.workload.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of a run: {@code concurrency} threads, each running as one process at a time, asking
 * the generator for ops under one lock (so the seeded draws happen in one sequence), waiting for each
 * op's start time, invoking it through its client and recording invocation and completion. A process
 * whose op ends {@code info} is retired: its client is closed and the thread continues as a fresh
 * process with a fresh client.
 */
public final class Workers {

  /** Pause between attempts to open a client that failed to open. */
  public static final long OPEN_RETRY_NANOS = 200_000_000L;

  private static final Logger LOG = LoggerFactory.getLogger(Workers.class);

  private final Supplier<Client> clients;
  private final ClientTarget target;
  private final Generator generator;
  private final SplittableRandom random;
  private final HistoryRecorder history;
  private final RunClock clock;
  private final ProcessTable processes;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private long issued;

  public Workers(Supplier<Client> clients, ClientTarget target, Generator generator, SplittableRandom random,
      HistoryRecorder history, RunClock clock, int concurrency) {
    this.clients = clients;
    this.target = target;
    this.generator = generator;
    this.random = random;
    this.history = history;
    this.clock = clock;
    this.processes = new ProcessTable(concurrency);
  }

  /** Starts every worker thread. */
  public void start() {
    for (int t = 0; t < processes.concurrency(); t++) {
      int thread = t;
      Thread worker = new Thread(() -> runThread(thread), "worker-" + t);
      worker.setDaemon(true);
      threads.add(worker);
      worker.start();
    }
  }

  /** Asks the workers to finish the op in flight and stop. */
  public void stop() {
    stopping.set(true);
  }

  /** Waits for every worker; false if one is still running after {@code timeoutMillis}. */
  public boolean join(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    for (Thread t : threads) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
      t.join(left);
      if (t.isAlive()) {
        return false;
      }
    }
    return true;
  }

  private void runThread(int thread) {
    int process = processOf(thread);
    Client client = open(process);
    try {
      while (client != null && !stopping.get()) {
        Optional<Scheduled> next = next(thread, process);
        if (next.isEmpty()) {
          break;
        }
        clock.sleepUntil(next.get().notBeforeNanos());
        if (stopping.get()) {
          break;
        }
        history.invoke(process, next.get().invocation());
        Completion done = client.invoke(next.get().invocation());
        history.complete(process, next.get().invocation(), done);
        if (done.outcome() == Outcome.INFO) {
          client.close();
          process = retire(thread);
          client = open(process);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (client != null) {
        client.close();
      }
    }
  }

  /** A process id no worker has used or will use (call after the workers stopped). */
  public synchronized int unusedProcess() {
    int max = 0;
    for (int t = 0; t < processes.concurrency(); t++) {
      max = Math.max(max, processes.process(t));
    }
    return max + processes.concurrency();
  }

  private synchronized int processOf(int thread) {
    return processes.process(thread);
  }

  private synchronized int retire(int thread) {
    return processes.retire(thread);
  }

  private synchronized Optional<Scheduled> next(int thread, int process) {
    Optional<Scheduled> s = generator.next(new Context(clock.nanos(), thread, process, issued), random);
    if (s.isPresent()) {
      issued++;
    }
    return s;
  }

  /** Opens a client for {@code process}, retrying until it opens or the run stops; null when stopped. */
  private Client open(int process) {
    while (!stopping.get()) {
      Client client = clients.get();
      try {
        client.open(target, process);
        return client;
      } catch (ClientException e) {
        client.close();
        LOG.debug("process {}: {}", process, e.getMessage());
        try {
          clock.sleepUntil(clock.nanos() + OPEN_RETRY_NANOS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
    }
    return null;
  }
}
