package dev.lockstep.ftvm.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.host.Recorder;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.rewind.Rewinder;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Watchpoints on a recorded chaos run, against positions found independently: the first word store
 * and the first word load after an icount, their address computed from the registers a plain seek
 * shows before them.
 */
class DebugSessionTest {
  private static final long RECORDED = 2_000_000;
  private static final long INTERVAL = 100_000;
  private static byte[] image;
  private static final List<Event> LOG = new ArrayList<>();

  @BeforeAll
  static void record() throws IOException, ElfException {
    try (InputStream in = DebugSessionTest.class.getResourceAsStream("/guests/chaos.elf")) {
      assertTrue(in != null, "guests/chaos.elf is not on the classpath (ftvm/guests/build.sh)");
      image = in.readAllBytes();
    }
    Machine m = Machine.boot(image, MachineConfig.defaults(), HostPort.UNATTACHED);
    Recorder r = new Recorder(m, HostClock.SYSTEM, new SplittableRandom(15)::nextInt, LOG::add, null, OutputHandler.NONE, 100_000);
    r.run(RECORDED);
    r.finish();
  }

  private static DebugSession session() throws ElfException {
    return new DebugSession(new Rewinder(Machine.boot(image, MachineConfig.defaults(), HostPort.UNATTACHED), LOG, INTERVAL), INTERVAL);
  }

  /** The icount of the first instruction at or after {@code from} with this opcode and funct3. */
  private static long first(DebugSession s, long from, int opcode, int funct3) {
    s.seek(from);
    while (true) {
      Machine m = s.machine();
      int insn = m.readWord(m.pc());
      if ((insn & 0x7F) == opcode && ((insn >>> 12) & 7) == funct3) {
        return s.icount();
      }
      assertEquals(DebugSession.Stop.STEPPED, s.step(), "no such instruction before the log's end");
    }
  }

  /** The address the load or store about to execute accesses. */
  private static int address(Machine m) {
    int insn = m.readWord(m.pc());
    int imm = (insn & 0x7F) == 0x03 ? insn >> 20 : ((insn >> 25) << 5) | ((insn >>> 7) & 31);
    return m.register((insn >>> 15) & 31) + imm;
  }

  /** Whether the instruction about to execute is a load (0x03) or store (0x23) touching {@code addr}'s word. */
  private static boolean accesses(Machine m, int opcode, int addr) {
    int insn = m.readWord(m.pc());
    return (insn & 0x7F) == opcode && Integer.compareUnsigned(addr - address(m), 1 << ((insn >>> 12) & 3)) < 0;
  }

  @Test
  void aWriteWatchpointStopsWithTheStoreNextInTheDirectionOfTravel() throws ElfException {
    DebugSession s = session();
    long store = first(s, 1_000_000, 0x23, 2); // sw
    int addr = address(s.machine());
    s.addWatch(new DebugSession.Watch(DebugSession.Access.WRITE, addr, 4));
    assertEquals(DebugSession.Stop.WATCHPOINT, s.cont(), "the store is next: no motion");
    assertEquals(store, s.icount());
    assertEquals(addr, s.watchHit().addr());
    s.seek(store + 1);
    assertEquals(DebugSession.Stop.WATCHPOINT, s.reverseCont(), "the store is right behind: no motion");
    assertEquals(store + 1, s.icount());

    s.seek(store - 10_000);
    assertEquals(DebugSession.Stop.WATCHPOINT, s.cont());
    assertTrue(s.icount() <= store && accesses(s.machine(), 0x23, addr), "stopped before a store to the word: " + s.icount());
    s.seek(store + 10_000);
    assertEquals(DebugSession.Stop.WATCHPOINT, s.reverseCont());
    long after = s.icount();
    assertTrue(after > store, "the latest store at or after " + store + ": " + after);
    s.seek(after - 1);
    assertTrue(accesses(s.machine(), 0x23, addr), "stopped after a store to the word: " + after);
  }

  @Test
  void readAndAccessWatchpointsSeeLoadsAndARemovedOneNothing() throws ElfException {
    DebugSession s = session();
    long load = first(s, 1_500_000, 0x03, 2); // lw
    int addr = address(s.machine());
    DebugSession.Watch read = new DebugSession.Watch(DebugSession.Access.READ, addr + 2, 1);
    s.addWatch(read);
    s.seek(load - 5_000);
    assertEquals(DebugSession.Stop.WATCHPOINT, s.cont(), "a word load covers the watched byte");
    assertTrue(s.icount() <= load && accesses(s.machine(), 0x03, addr), "stopped before a load of the word: " + s.icount());
    assertEquals(addr + 2, s.watchHit().addr());
    assertTrue(s.removeWatch(read));
    s.seek(load - 5_000);
    assertEquals(DebugSession.Stop.LOG_END, s.cont(), "no watchpoint left");
    s.addWatch(new DebugSession.Watch(DebugSession.Access.ACCESS, addr, 4));
    s.seek(load);
    assertEquals(DebugSession.Stop.WATCHPOINT, s.cont());
    assertEquals(load, s.icount(), "an access watchpoint sees the load");
  }
}
