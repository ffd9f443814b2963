package dev.lockstep.ftvm.debug;

import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.rewind.Rewinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What a debugger can do to a recorded execution: where it stands, breakpoints, watchpoints, writes,
 * and motion in both directions. A stop is reported as a {@link Stop}: a breakpoint, a watchpoint
 * ({@link #watchHit}), a finished step, or the log's beginning or end.
 *
 * <p>A watchpoint sees the loads and stores of guest instructions (not device DMA). Execution stops
 * with the accessing instruction next in the direction of travel: before it going forward, after it
 * going backwards. TRICKY: that is what gdb expects of RISC-V, whose hardware triggers fire before
 * the access (gdb's "non-steppable" watchpoints): gdb then steps over the access itself, so the
 * person sees the stop after the access going forward and before it going backwards (with the value
 * before the write, as a reverse watchpoint should show).
 */
public final class DebugSession {
  /** Why execution stopped. */
  public enum Stop { STEPPED, BREAKPOINT, WATCHPOINT, LOG_BEGIN, LOG_END, HALTED }

  /** What a watchpoint stops on. */
  public enum Access { WRITE, READ, ACCESS }

  /** A watched range of {@code bytes} bytes from {@code addr}. */
  public record Watch(Access access, int addr, int bytes) {}

  /** The watchpoint that stopped execution last, and the guest address accessed. */
  public record WatchHit(Watch watch, int addr) {}

  private final Rewinder rewinder;
  private final long logStart;
  private final Set<Integer> breakpoints = new TreeSet<>();
  private final List<Watch> watches = new ArrayList<>();
  private final long scanInstructions;
  private WatchHit watchHit;

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

  /** Whether a write has forked the execution off the recorded one (see {@link Rewinder#edit}). */
  public boolean edited() {
    return rewinder.edited();
  }

  /**
   * Applies a debugger's write at the current position: the machine leaves the recorded execution.
   * Stepping and continuing go on from the edited machine; reverse motion and seeks first return to
   * the recorded execution at the same icount and drop every write.
   *
   * @throws IllegalArgumentException when the machine refuses it (memory outside RAM, an unaligned pc)
   */
  public void write(Consumer<Machine> change) {
    rewinder.edit(change);
  }

  public void addBreakpoint(int pc) {
    breakpoints.add(pc);
  }

  public void removeBreakpoint(int pc) {
    breakpoints.remove(pc);
  }

  public void addWatch(Watch w) {
    if (w.bytes() <= 0) {
      throw new IllegalArgumentException("a watchpoint covers at least one byte, got " + w.bytes());
    }
    watches.add(w);
  }

  /** Removes the watchpoint set with the same access, address and length; false when there is none. */
  public boolean removeWatch(Watch w) {
    return watches.remove(w);
  }

  /** The watchpoint behind the last {@link Stop#WATCHPOINT}. */
  public WatchHit watchHit() {
    return watchHit;
  }

  public Stop step() {
    long before = rewinder.icount();
    long after = rewinder.seek(before + 1);
    return after > before ? Stop.STEPPED : end();
  }

  public Stop reverseStep() {
    rewinder.dropEdits();
    return rewinder.reverseStep() ? Stop.STEPPED : Stop.LOG_BEGIN;
  }

  /** Runs forward to the next instruction at a breakpoint or making a watched access, or to the log's end. */
  public Stop cont() {
    while (true) {
      long target = rewinder.icount() + scanInstructions;
      Scan scan = new Scan(target, true);
      long reached = rewinder.seekTraced(target, scan);
      if (scan.hitAt >= 0) {
        rewinder.seek(scan.hitAt);
        watchHit = scan.hit;
        return scan.hit != null ? Stop.WATCHPOINT : Stop.BREAKPOINT;
      }
      if (reached < target) {
        return end();
      }
    }
  }

  /**
   * Runs backwards to the latest earlier instruction at a breakpoint or just after a watched access,
   * or to the log's beginning, on the recorded execution.
   */
  public Stop reverseCont() {
    rewinder.dropEdits();
    long now = rewinder.icount();
    long windowEnd = now;
    while (windowEnd > logStart) {
      long windowStart = Math.max(logStart, windowEnd - scanInstructions);
      rewinder.seek(windowStart);
      Scan scan = new Scan(windowEnd, false);
      if (breakpoints.contains(rewinder.machine().pc()) && windowStart != now) {
        scan.hitAt = windowStart;
      }
      rewinder.seekTraced(windowEnd, scan);
      if (scan.hitAt >= 0) {
        rewinder.seek(scan.hitAt);
        watchHit = scan.hit;
        return scan.hit != null ? Stop.WATCHPOINT : Stop.BREAKPOINT;
      }
      windowEnd = windowStart;
    }
    rewinder.seek(logStart);
    return Stop.LOG_BEGIN;
  }

  /** Jumps to {@code icount} of the recorded execution (or as far as the log goes). */
  public long seek(long icount) {
    rewinder.dropEdits();
    return rewinder.seek(Math.max(logStart, icount));
  }

  private Stop end() {
    return rewinder.machine().halted() ? Stop.HALTED : Stop.LOG_END;
  }

  /**
   * Watches instructions retire up to {@code to} for breakpoints and watched accesses: going
   * forward it keeps the first stop position, going backwards the last one below {@code to}.
   */
  private final class Scan implements Machine.Tracer {
    private final long to;
    private final boolean first;
    private final int[] before = new int[32];
    long hitAt = -1;
    WatchHit hit;

    Scan(long to, boolean first) {
      this.to = to;
      this.first = first;
      if (!watches.isEmpty()) {
        copyRegisters(before);
      }
    }

    @Override
    public void retired(long ic, int pc, int insn) {
      if (first && hitAt >= 0) {
        return;
      }
      if (!watches.isEmpty()) {
        WatchHit w = watched(insn);
        copyRegisters(before);
        if (w != null) {
          hitAt = first ? ic : ic + 1;
          hit = w;
          if (first) {
            return;
          }
        }
      }
      // backwards, the position at the window's end is the start or was the previous window's start
      if (breakpoints.contains(rewinder.machine().pc()) && (first || ic + 1 < to) && hitAt != ic + 1) {
        hitAt = ic + 1;
        hit = null;
      }
    }

    /** The watchpoint a load or store accesses, computed from the registers before it ran. */
    private WatchHit watched(int insn) {
      int opcode = insn & 0x7F;
      boolean load = opcode == 0x03;
      if (!load && opcode != 0x23) {
        return null;
      }
      int imm = load ? insn >> 20 : ((insn >> 25) << 5) | ((insn >>> 7) & 31);
      int addr = before[(insn >>> 15) & 31] + imm;
      int bytes = 1 << ((insn >>> 12) & 3);
      for (Watch w : watches) {
        boolean kind = w.access() == Access.ACCESS || (w.access() == Access.READ) == load;
        if (kind && Integer.compareUnsigned(addr - w.addr(), w.bytes()) < 0) {
          return new WatchHit(w, addr);
        }
        if (kind && Integer.compareUnsigned(w.addr() - addr, bytes) < 0) {
          return new WatchHit(w, w.addr());
        }
      }
      return null;
    }

    private void copyRegisters(int[] into) {
      Machine m = rewinder.machine();
      for (int i = 0; i < 32; i++) {
        into[i] = m.register(i);
      }
    }
  }
}
