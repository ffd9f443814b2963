package dev.lockstep.harness.diverge;

import dev.lockstep.ftvm.disasm.Disassembler;
import dev.lockstep.ftvm.machine.GuestFault;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.node.records.NodeSnapshot;
import dev.lockstep.ftvm.node.records.ReplaySegments;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventSource;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.replay.ReplayDivergence;
import dev.lockstep.ftvm.replay.ReplayLogException;
import dev.lockstep.ftvm.replay.ReplayPort;
import dev.lockstep.ftvm.replay.Replayer;
import dev.lockstep.ftvm.rewind.Rewinder;
import dev.lockstep.harness.runner.NodeReplay;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Both sides of a divergence: re-executes each node's own replay log (a node logs what its guest
 * consumed) from a kept snapshot, or from boot, to the last icount where their logged state hashes
 * agree, then bisects on icount, comparing whole machine states, down to the first instruction after
 * which they differ, and lists every register, memory word and device field that differs there.
 */
public final class PartingFinder {
  /** Memory words listed at most; the count says how many differ in all. */
  static final int WORDS_LISTED_MAX = 16;
  /** Bisection steps re-execute from in-memory snapshots about this many per window. */
  private static final long SNAPSHOTS_PER_WINDOW = 32;
  private static final int RAM_BASE = 0x8000_0000;

  /** The first instruction after which the two states differ, and what differs, with both values. */
  public record Parting(long icount, int pc, String instruction, String inputA, String inputB, List<String> registers,
      int wordsDiffering, List<String> words, List<String> devices) {}

  /** A node's machine at an icount, and the rest of its log. */
  private record Replica(Machine machine, List<Event> rest) {}

  private PartingFinder() {}

  /**
   * @return the parting point, or null when either node has no log segment that re-executes from a
   *     kept snapshot (or boot) through {@code [from, to]}, or the two states do not agree at {@code from}
   *     and differ at {@code to}
   */
  static Parting find(RunDirectory run, byte[] image, String a, String b, long from, long to) throws IOException {
    Replica ra = replica(run, image, a, from, to);
    Replica rb = ra == null ? null : replica(run, image, b, from, to);
    if (ra == null || rb == null) {
      return null;
    }
    long interval = Math.max(1_000, (to - from) / SNAPSHOTS_PER_WINDOW);
    Rewinder wa = new Rewinder(ra.machine(), ra.rest(), interval);
    Rewinder wb = new Rewinder(rb.machine(), rb.rest(), interval);
    try {
      if (differAt(wa, wb, from) || !differAt(wa, wb, to)) {
        return null;
      }
      long lo = from;
      long hi = to;
      while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        if (differAt(wa, wb, mid)) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
      // equal at lo, different at lo + 1: the instruction retired at icount lo parted them
      wa.seek(lo);
      wb.seek(lo);
      Machine ma = wa.machine();
      int pc = ma.pc();
      String instruction = Disassembler.disassemble(ma.readWord(pc), pc);
      String inputA = inputAt(ra.rest(), lo);
      String inputB = inputAt(rb.rest(), lo);
      wa.seek(hi);
      wb.seek(hi);
      return compare(lo, pc, instruction, inputA, inputB, wa.machine(), wb.machine());
    } catch (ReplayDivergence | GuestFault | IllegalStateException e) {
      return null;
    }
  }

  private static boolean differAt(Rewinder wa, Rewinder wb, long icount) {
    if (wa.seek(icount) != icount || wb.seek(icount) != icount) {
      throw new IllegalStateException("a log ends before icount " + icount);
    }
    return wa.machine().stateHash() != wb.machine().stateHash();
  }

  /** The synchronous inputs a log holds at {@code icount}, as {@code KIND value}; null if none. */
  private static String inputAt(List<Event> events, long icount) {
    List<String> found = new ArrayList<>();
    for (Event e : events) {
      if (e.icount() > icount) {
        break;
      }
      if (e.icount() == icount) {
        found.add(e.kind() + " " + (e.payload().length == 8 ? Long.toString(e.longValue())
            : e.payload().length == 4 ? String.format("0x%08x", e.intValue()) : e.payload().length + " bytes"));
      }
    }
    return found.isEmpty() ? null : String.join(", ", found);
  }

  private static Parting compare(long icount, int pc, String instruction, String inputA, String inputB, Machine a,
      Machine b) {
    List<String> registers = new ArrayList<>();
    if (a.pc() != b.pc()) {
      registers.add(String.format("pc 0x%08x 0x%08x", a.pc(), b.pc()));
    }
    for (int i = 1; i < 32; i++) {
      if (a.register(i) != b.register(i)) {
        registers.add(String.format("%s 0x%08x 0x%08x", Disassembler.register(i), a.register(i), b.register(i)));
      }
    }
    int ram = a.config().ramBytes();
    byte[] ma = a.readMemory(RAM_BASE, ram);
    byte[] mb = b.readMemory(RAM_BASE, ram);
    List<String> words = new ArrayList<>();
    int differing = 0;
    for (int off = 0; off + 4 <= ram; off += 4) {
      if (ma[off] != mb[off] || ma[off + 1] != mb[off + 1] || ma[off + 2] != mb[off + 2] || ma[off + 3] != mb[off + 3]) {
        if (differing++ < WORDS_LISTED_MAX) {
          words.add(String.format("0x%08x 0x%08x 0x%08x", RAM_BASE + off, word(ma, off), word(mb, off)));
        }
      }
    }
    List<String> devices = new ArrayList<>();
    if (a.mtimecmp() != b.mtimecmp()) {
      devices.add("timer mtimecmp " + a.mtimecmp() + " " + b.mtimecmp());
    }
    if (a.timerPending() != b.timerPending()) {
      devices.add("timer pending " + a.timerPending() + " " + b.timerPending());
    }
    if (a.rxWaiting() != b.rxWaiting()) {
      devices.add("net rx waiting " + a.rxWaiting() + " " + b.rxWaiting());
    }
    if (!Arrays.equals(a.pendingDiskRequest(), b.pendingDiskRequest())) {
      devices.add("disk request in flight " + describe(a.pendingDiskRequest()) + " " + describe(b.pendingDiskRequest()));
    }
    return new Parting(icount, pc, instruction, inputA, inputB, registers, differing, words, devices);
  }

  private static String describe(byte[] request) {
    return request == null ? "none" : request.length + " bytes";
  }

  private static int word(byte[] m, int off) {
    return (m[off] & 0xFF) | (m[off + 1] & 0xFF) << 8 | (m[off + 2] & 0xFF) << 16 | (m[off + 3] & 0xFF) << 24;
  }

  /** Node {@code node}'s machine at {@code from}, from a segment whose log reaches {@code to}; null if none. */
  private static Replica replica(RunDirectory run, byte[] image, String node, long from, long to) throws IOException {
    for (Path segment : ReplaySegments.list(run.nodeDirectory(node))) {
      NodeReplay.Log log;
      try {
        log = NodeReplay.read(segment, image);
      } catch (ReplayLogException e) {
        continue;
      }
      List<Event> ev = log.events();
      if (ev.isEmpty() || ev.get(ev.size() - 1).icount() < from) {
        continue;
      }
      EventSource.OfList source = EventSource.of(ev);
      ReplayPort port = new ReplayPort(source, OutputHandler.NONE);
      Path snap = ReplaySegments.snapshotOf(segment);
      try {
        Machine m = Files.isRegularFile(snap) ? NodeSnapshot.read(Files.readAllBytes(snap), port).machine()
            : Machine.boot(image, log.bootConfig(), port);
        if (m.icount() > from) {
          continue;
        }
        new Replayer(m, source).run(from);
        if (m.icount() != from) {
          continue;
        }
        return new Replica(m, ev.subList(source.position(), ev.size()));
      } catch (ReplayDivergence | GuestFault | IllegalArgumentException | IllegalStateException
          | dev.lockstep.ftvm.machine.ElfException e) {
        // this segment does not re-execute through the window: try the next one
      }
    }
    return null;
  }
}
