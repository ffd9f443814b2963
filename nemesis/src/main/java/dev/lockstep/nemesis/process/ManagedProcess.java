package dev.lockstep.nemesis.process;

import dev.lockstep.nemesis.NanoClock;
import dev.lockstep.nemesis.NemesisException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.locks.LockSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A process the nemesis may kill, pause, resume and restart. Signals go to the process and all its
 * descendants, so a launcher may start a wrapper script. Thread-safe.
 *
 * <p>Contract: {@link #kill()} and {@link #stop()} return only once the process has exited (or
 * throw); {@link #pause()} and {@link #resume()} are idempotent; {@link #restart()} kills the
 * current instance if alive and launches a new one; {@link #close()} leaves nothing running or
 * stopped.
 */
public final class ManagedProcess implements AutoCloseable {
  /** Bound on waiting for a process to exit after SIGKILL. */
  public static final long KILL_WAIT_MS = 10_000;
  /** Bound on waiting for the kernel to show a signalled process stopped or running. */
  public static final long STATE_WAIT_MS = 5_000;
  /** Poll period while waiting for a state change. */
  static final long STATE_POLL_MICROS = 500;
  /** Grace period after SIGTERM before {@link #stop()} escalates to SIGKILL. */
  public static final long TERM_GRACE_MS = 5_000;

  private final String name;
  private final ProcessLauncher launcher;
  private Process process;
  private boolean paused;
  private int launches;

  private ManagedProcess(String name, ProcessLauncher launcher) {
    this.name = Objects.requireNonNull(name, "name");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
  }

  /**
   * Launches the process.
   *
   * @throws NemesisException if the launcher fails
   */
  public static ManagedProcess start(String name, ProcessLauncher launcher) {
    ManagedProcess p = new ManagedProcess(name, launcher);
    p.launch();
    return p;
  }

  public String name() {
    return name;
  }

  /** The current instance; changes at every restart. */
  public synchronized Process process() {
    return process;
  }

  public synchronized long pid() {
    return process.pid();
  }

  public synchronized boolean isAlive() {
    return process.isAlive();
  }

  /** True between {@link #pause()} and {@link #resume()} (or a kill). */
  public synchronized boolean isPaused() {
    return paused && process.isAlive();
  }

  /** How many times the launcher ran: 1 after start, +1 per restart. */
  public synchronized int launches() {
    return launches;
  }

  /** SIGKILL to the process tree; returns once it exited. A dead process is left as it is. */
  public synchronized void kill() {
    if (!process.isAlive()) {
      return;
    }
    for (ProcessHandle h : tree()) {
      h.destroyForcibly();
    }
    paused = false;
    awaitExit(KILL_WAIT_MS, "SIGKILL");
  }

  /** SIGSTOP to the process tree; returns once the process shows as stopped (where /proc exists). */
  public synchronized void pause() {
    if (paused || !process.isAlive()) {
      return;
    }
    signalTree("STOP");
    paused = true;
    awaitStopped(true);
  }

  /** SIGCONT to the process tree. */
  public synchronized void resume() {
    if (!paused) {
      return;
    }
    if (process.isAlive()) {
      signalTree("CONT");
      awaitStopped(false);
    }
    paused = false;
  }

  /** Kills the current instance if it runs, then launches a new one. */
  public synchronized void restart() {
    kill();
    launch();
  }

  /** Graceful stop: continue if paused, SIGTERM, then SIGKILL after {@link #TERM_GRACE_MS}. */
  public synchronized void stop() {
    if (!process.isAlive()) {
      return;
    }
    // TRICKY: a stopped process does not act on SIGTERM until continued.
    resume();
    List<ProcessHandle> tree = tree();
    for (ProcessHandle h : tree) {
      h.destroy();
    }
    try {
      if (process.waitFor(TERM_GRACE_MS, TimeUnit.MILLISECONDS)) {
        tree.forEach(ProcessHandle::destroyForcibly);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill();
  }

  @Override
  public synchronized void close() {
    stop();
  }

  @Override
  public String toString() {
    return "ManagedProcess[" + name + " pid " + process.pid() + (paused ? " paused" : "") + "]";
  }

  private void launch() {
    try {
      process = launcher.launch();
    } catch (IOException e) {
      throw new NemesisException("cannot launch " + name + ": " + e.getMessage(), e);
    }
    paused = false;
    launches++;
  }

  /** Descendants first, then the process: a parent dying first would orphan them out of reach. */
  private List<ProcessHandle> tree() {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process.toHandle());
    return tree;
  }

  private void signalTree(String signal) {
    for (ProcessHandle h : tree()) {
      if (h.isAlive()) {
        Signals.send(signal, h.pid());
      }
    }
  }

  /**
   * TRICKY: kill(2) returns before the target has acted on the signal, so a caller that checks
   * right after (or a fault that must be in force when its op completes) waits for the kernel.
   */
  private void awaitStopped(boolean stopped) {
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    long deadline = NanoClock.SYSTEM.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STATE_WAIT_MS);
    while (process.isAlive()) {
      OptionalInt state = state(stat);
      if (state.isEmpty() || isStoppedState(state.getAsInt()) == stopped) {
        return;
      }
      if (NanoClock.SYSTEM.nanoTime() > deadline) {
        throw new NemesisException(name + " (pid " + process.pid() + ") not " + (stopped ? "stopped" : "running") + " " + STATE_WAIT_MS + " ms after the signal");
      }
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(STATE_POLL_MICROS));
    }
  }

  private static boolean isStoppedState(int state) {
    return state == 'T' || state == 't';
  }

  /** The process state letter from /proc, or empty where there is no /proc. */
  private static OptionalInt state(Path stat) {
    try {
      String text = Files.readString(stat);
      return OptionalInt.of(text.charAt(text.lastIndexOf(')') + 2));
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  private void awaitExit(long timeoutMs, String what) {
    try {
      if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
        throw new NemesisException(name + " (pid " + process.pid() + ") still alive " + timeoutMs + " ms after " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NemesisException("interrupted waiting for " + name + " to exit", e);
    }
  }
}
