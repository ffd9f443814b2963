package dev.lockstep.ftvm.debug;

import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.rewind.Rewinder;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a debugger can do to a recorded execution: where it stands, breakpoints, and motion in both
 * directions. A stop is reported as a {@link Stop}: a breakpoint or a finished step, or the log's
 * beginning or end.
 */
public final class DebugSession {
  /** Why execution stopped. */
  public enum Stop { STEPPED, BREAKPOINT, LOG_BEGIN, LOG_END, HALTED }

  private final Rewinder rewinder;
  private final long logStart;
  private final Set<Integer> breakpoints = new TreeSet<>();
  private final long scanInstructions;

  /**
   * @param scanInstructions how far back one pass of reverse-continue looks (a snapshot interval)
   */
  public DebugSession(Rewinder rewinder, long scanInstructions) {
    this.rewinder = rewinder;
    this.logStart = rewinder.icount();
    this.scanInstructions = scanInstructions;
  }

  public Machine machine() {
    return rewinder.machine();
  }

  public long icount() {
    return rewinder.icount();
  }

  public void addBreakpoint(int pc) {
    breakpoints.add(pc);
  }

  public void removeBreakpoint(int pc) {
    breakpoints.remove(pc);
  }

  public Stop step() {
    long before = rewinder.icount();
    long after = rewinder.seek(before + 1);
    return after > before ? Stop.STEPPED : end();
  }

  public Stop reverseStep() {
    return rewinder.reverseStep() ? Stop.STEPPED : Stop.LOG_BEGIN;
  }

  /** Runs forward to the next instruction at a breakpoint, or the log's end. */
  public Stop cont() {
    long[] hit = {-1};
    long from = rewinder.icount();
    while (true) {
      long target = rewinder.icount() + scanInstructions;
      long reached = rewinder.seekTraced(target, (ic, pc, insn) -> {
        if (hit[0] < 0 && ic >= from && breakpoints.contains(rewinder.machine().pc())) {
          hit[0] = ic + 1;
        }
      });
      if (hit[0] >= 0) {
        rewinder.seek(hit[0]);
        return Stop.BREAKPOINT;
      }
      if (reached < target) {
        return end();
      }
    }
  }

  /** Runs backwards to the latest earlier instruction at a breakpoint, or the log's beginning. */
  public Stop reverseCont() {
    long now = rewinder.icount();
    long windowEnd = now;
    while (windowEnd > logStart) {
      long windowStart = Math.max(logStart, windowEnd - scanInstructions);
      long[] last = {-1};
      long end = windowEnd;
      rewinder.seek(windowStart);
      if (windowStart < end && breakpoints.contains(rewinder.machine().pc()) && windowStart != now) {
        last[0] = windowStart;
      }
      rewinder.seekTraced(end - 1, (ic, pc, insn) -> {
        if (breakpoints.contains(rewinder.machine().pc()) && ic + 1 < end) {
          last[0] = ic + 1;
        }
      });
      if (last[0] >= 0) {
        rewinder.seek(last[0]);
        return Stop.BREAKPOINT;
      }
      windowEnd = windowStart;
    }
    rewinder.seek(logStart);
    return Stop.LOG_BEGIN;
  }

  /** Jumps to {@code icount} (or as far as the log goes). */
  public long seek(long icount) {
    return rewinder.seek(Math.max(logStart, icount));
  }

  private Stop end() {
    return rewinder.machine().halted() ? Stop.HALTED : Stop.LOG_END;
  }
}
