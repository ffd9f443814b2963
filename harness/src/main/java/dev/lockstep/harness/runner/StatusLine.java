package dev.lockstep.harness.runner;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The live status line on stderr, refreshed about once a second: elapsed time, ops per second over the
 * last interval, ok / fail / info counts and the current fault. Rewrites one terminal line in place
 * ({@code \r}); when stderr is not a terminal it prints a fresh line every {@link #PLAIN_EVERY_SECONDS}.
 */
public final class StatusLine implements AutoCloseable {

  public static final long REFRESH_MILLIS = 1_000;
  public static final int PLAIN_EVERY_SECONDS = 10;

  private final PrintStream out;
  private final HistoryRecorder history;
  private final RunClock clock;
  private final Supplier<String> currentFault;
  private final boolean terminal;
  private final ScheduledExecutorService timer;
  private long lastCompleted;
  private long lastNanos;
  private int ticks;

  public StatusLine(PrintStream out, HistoryRecorder history, RunClock clock, Supplier<String> currentFault, boolean terminal) {
    this.out = out;
    this.history = history;
    this.clock = clock;
    this.currentFault = currentFault;
    this.terminal = terminal;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "status-line");
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    timer.scheduleAtFixedRate(this::refresh, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The line as it would be printed now. */
  public synchronized String render() {
    HistoryRecorder.Counts c = history.counts();
    long now = clock.nanos();
    long completed = c.ok() + c.fail() + c.info();
    double rate = now > lastNanos ? (completed - lastCompleted) * 1e9 / (now - lastNanos) : 0;
    lastCompleted = completed;
    lastNanos = now;
    String fault = currentFault.get();
    return String.format(Locale.ROOT, "[%6.1fs] %7.1f ops/s  ok %d  fail %d  info %d  fault: %s",
        now / 1e9, rate, c.ok(), c.fail(), c.info(), fault == null || fault.isEmpty() ? "none" : fault);
  }

  private void refresh() {
    String line = render();
    if (terminal) {
      out.print("\r" + line + "\033[K");
      out.flush();
    } else if (++ticks % PLAIN_EVERY_SECONDS == 0) {
      out.println(line);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (terminal) {
      out.println();
    }
  }
}
