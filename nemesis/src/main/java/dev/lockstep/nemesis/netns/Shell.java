package dev.lockstep.nemesis.netns;

import dev.lockstep.nemesis.NemesisException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one administration command (ip, iptables) to its end, bounded; the adapter to the host's tools. */
final class Shell {
  /** Bound on one ip or iptables command. */
  static final long COMMAND_MS_MAX = 10_000;

  private Shell() {}

  /** Runs {@code command}; returns its output. @throws NemesisException naming the command, its exit and output */
  static String run(List<String> command) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new NemesisException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
    boolean interrupted = false;
    try {
      // TRICKY: an administration command runs to its end even when the caller is interrupted (the
      // nemesis thread at the end of a run): a rule half-known to be there could not be healed.
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMMAND_MS_MAX);
      boolean ended = false;
      while (!ended && System.nanoTime() < deadline) {
        try {
          ended = p.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (!ended) {
        p.destroyForcibly();
        throw new NemesisException(String.join(" ", command) + ": no end within " + COMMAND_MS_MAX + " ms");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new NemesisException(String.join(" ", command) + ": exit " + p.exitValue() + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new NemesisException(String.join(" ", command) + ": " + e.getMessage(), e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Runs {@code command} and ignores a failure (cleanup of something that may be gone already). */
  static void quietly(List<String> command) {
    try {
      run(command);
    } catch (NemesisException e) {
      // already gone, or never made: nothing to remove
    }
  }

  /** True if {@code tool} runs ({@code tool -V}, which ip and iptables both take, exits 0). */
  static boolean has(String tool) {
    try {
      run(List.of(tool, "-V"));
      return true;
    } catch (NemesisException e) {
      return false;
    }
  }
}
