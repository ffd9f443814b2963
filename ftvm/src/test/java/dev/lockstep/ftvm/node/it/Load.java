package dev.lockstep.ftvm.node.it;

import dev.lockstep.ftvm.client.FtClient;
import dev.lockstep.ftvm.client.Request;
import dev.lockstep.ftvm.client.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop clients, one register each: client {@code c} writes 1, 2, 3, ... to key {@code c}. It
 * remembers the last value acknowledged (ok) and the last attempted, so a final read can prove that
 * no acknowledged write was lost: lastOk ≤ value ≤ lastAttempted.
 */
final class Load implements AutoCloseable {

  static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  final class Writer implements Runnable {
    final int clientId;
    volatile int lastOk;
    volatile int lastAttempted;

    Writer(int clientId) {
      this.clientId = clientId;
    }

    @Override
    public void run() {
      try (FtClient c = new FtClient(zk, cluster, clientId, CALL_TIMEOUT)) {
        while (running) {
          int v = lastAttempted + 1;
          lastAttempted = v;
          Result r = c.call(Request.write(clientId, v));
          if (r instanceof Result.Ok) {
            lastOk = v;
            ok.incrementAndGet();
            okTimesNanos.add(System.nanoTime());
          } else if (r instanceof Result.Info) {
            info.incrementAndGet();
          } else {
            fail.incrementAndGet();
          }
        }
      }
    }
  }

  private final String zk;
  private final String cluster;
  final List<Writer> writers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  final AtomicLong ok = new AtomicLong();
  final AtomicLong info = new AtomicLong();
  final AtomicLong fail = new AtomicLong();
  final ConcurrentLinkedQueue<Long> okTimesNanos = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;

  Load(String zk, String cluster, int clients, int firstClientId) {
    this.zk = zk;
    this.cluster = cluster;
    for (int i = 0; i < clients; i++) {
      Writer w = new Writer(firstClientId + i);
      writers.add(w);
      Thread t = new Thread(w, "load-" + w.clientId);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Stops the clients and waits for their calls in flight (bounded by the call timeout). */
  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(CALL_TIMEOUT.toMillis() * 2);
    }
  }

  /** Reads every register back and returns a description of each lost acknowledged write. */
  List<String> lostWrites() {
    List<String> lost = new ArrayList<>();
    try (FtClient c = new FtClient(zk, cluster, 9_999, CALL_TIMEOUT)) {
      for (Writer w : writers) {
        Result r = c.call(Request.read(w.clientId));
        if (!(r instanceof Result.Ok okr)) {
          lost.add("key " + w.clientId + ": final read " + r);
          continue;
        }
        Integer v = okr.reply().value();
        int value = v == null ? 0 : v;
        if (value < w.lastOk || value > w.lastAttempted) {
          lost.add("key " + w.clientId + ": read " + value + ", last ok " + w.lastOk + ", last attempted " + w.lastAttempted);
        }
      }
    }
    return lost;
  }
}
