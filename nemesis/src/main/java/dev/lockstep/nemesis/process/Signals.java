package dev.lockstep.nemesis.process;

import dev.lockstep.nemesis.NemesisException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Sends POSIX signals with {@code kill(1)}: the JDK can kill a process but not stop or continue it. */
final class Signals {
  /** Bound on one {@code kill} command. */
  static final long KILL_COMMAND_TIMEOUT_MS = 5_000;

  private Signals() {}

  /** Sends {@code signal} (e.g. {@code STOP}) to {@code pid}; a pid that already exited is ignored. */
  static void send(String signal, long pid) {
    ProcessBuilder pb = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true);
    try {
      Process kill = pb.start();
      if (!kill.waitFor(KILL_COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        kill.destroyForcibly();
        throw new NemesisException("kill -" + signal + " " + pid + " did not finish within " + KILL_COMMAND_TIMEOUT_MS + " ms");
      }
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (kill.exitValue() != 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        throw new NemesisException("kill -" + signal + " " + pid + " failed: " + output);
      }
    } catch (IOException e) {
      throw new NemesisException("cannot run kill -" + signal + " " + pid + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NemesisException("interrupted sending " + signal + " to " + pid, e);
    }
  }
}
