package dev.lockstep.ftvm.machine;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.HostPort;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

/**
 * One deterministic RV32IM machine: a hart, RAM and devices. A pure function of its image, config
 * and the events it is given: {@link #run} executes, the {@link HostPort} answers synchronous
 * reads, {@link #deliver} applies asynchronous events between runs.
 *
 * <p>Not thread-safe: one thread drives a machine (run, deliver, snapshot, stateHash).
 *
 * <p>Interrupts are taken at the start of an instruction when icount is below the run limit; so
 * every asynchronous event at icount N is applied before any instruction at N executes, whether the
 * driver records or replays.
 *
 * <p>IDLE is only a hint that the guest waits: a recording driver may deliver nothing and run on, so
 * a replaying driver that sees IDLE short of its next logged event simply calls {@link #run} again.
 */
public final class Machine {

  /** First byte of a DISK_DONE payload: the request completed (a read's sectors follow). */
  public static final byte DISK_STATUS_DONE = (byte) Devices.DISK_DONE;
  /** First byte of a DISK_DONE payload: the request failed. */
  public static final byte DISK_STATUS_ERROR = (byte) Devices.DISK_ERROR;
  private static final int SNAPSHOT_MAGIC = 0x4C53_534E; // "LSSN"
  private static final int SNAPSHOT_VERSION = 1;

  private final Hart hart;
  private final Memory memory;
  private final Devices devices;
  private Tracer tracer;
  private long traceFrom = Long.MAX_VALUE;
  private long traceTo = Long.MAX_VALUE;

  /**
   * Sees every instruction the machine retires inside a trace window, on the thread that calls
   * {@link #run}, after the instruction has retired. It must not call {@link #run} or {@link #deliver}.
   */
  @FunctionalInterface
  public interface Tracer {
    /**
     * @param icount the retired instruction's icount (the machine's icount is now one more)
     * @param pc its address
     * @param insn its word
     */
    void retired(long icount, int pc, int insn);
  }

  private Machine(Memory memory, Devices devices) {
    this.memory = memory;
    this.devices = devices;
    this.hart = new Hart(memory, devices);
  }

  /** Loads an ELF image and resets the hart to its entry point at icount 0. */
  public static Machine boot(byte[] elfImage, MachineConfig config, HostPort port) throws ElfException {
    Objects.requireNonNull(port, "port");
    ElfImage elf = ElfImage.parse(elfImage);
    Memory memory = new Memory(config.ramBytes());
    Machine m = new Machine(memory, new Devices(memory, config.diskSectors(), port));
    int i = 0;
    for (ElfImage.Segment s : elf.segments()) {
      int off = memory.offset(s.addr(), s.memBytes());
      if (off < 0) {
        throw new ElfException(String.format("segment %d at 0x%08x + %d bytes lies outside RAM 0x%08x … 0x%08x (%d MiB)",
            i, s.addr(), s.memBytes(), Memory.BASE, Memory.BASE + config.ramBytes(), config.ramBytes() >> 20));
      }
      memory.write(off, s.fileBytes(), 0, s.fileBytes().length);
      i++;
    }
    int entryOff = memory.offset(elf.entry(), 4);
    if (entryOff < 0 || (elf.entry() & 3) != 0) {
      throw new ElfException(String.format("entry point 0x%08x is not an aligned address in RAM", elf.entry()));
    }
    if (elf.tohost() >= 0) {
      int tohostOff = memory.offset((int) elf.tohost(), 4);
      if (tohostOff < 0 || (elf.tohost() & 3) != 0) {
        throw new ElfException(String.format("symbol tohost at 0x%08x is not an aligned address in RAM", elf.tohost()));
      }
      m.hart.tohostOff = tohostOff;
    }
    m.hart.pc = elf.entry();
    return m;
  }

  /**
   * Executes until icount reaches {@code icountLimit} (LIMIT), the guest halts (HALTED) or executes
   * wfi with nothing to wake it (IDLE, with the wfi retired).
   *
   * @throws GuestFault when the guest cannot continue (a trap with no handler); deterministic
   */
  public RunStatus run(long icountLimit) {
    Hart h = hart;
    while (true) {
      if (h.fault != null) {
        throw h.fault;
      }
      if (h.halted) {
        return RunStatus.HALTED;
      }
      if (h.icount >= icountLimit) {
        return RunStatus.LIMIT;
      }
      if (h.interruptIfPending()) {
        continue;
      }
      Tracer t = tracer;
      if (t == null) {
        h.runFast(icountLimit);
        if (h.icount >= icountLimit) {
          return RunStatus.LIMIT;
        }
        h.stepSlow();
      } else {
        tracedStep(t, icountLimit);
      }
      if (h.idle) {
        h.idle = false;
        return RunStatus.IDLE;
      }
    }
  }

  /**
   * Calls {@code t} for every instruction retired with an icount in {@code [from, to)}; the rest
   * runs at full speed. A null tracer ends tracing. Tracing changes nothing in the guest's execution.
   */
  public void trace(long from, long to, Tracer t) {
    if (t != null && (from < 0 || to < from)) {
      throw new IllegalArgumentException("trace window [" + from + ", " + to + ") is empty or negative");
    }
    this.tracer = t;
    this.traceFrom = from;
    this.traceTo = to;
  }

  /**
   * One turn of {@link #run} with a tracer: one instruction at a time inside the window, full speed up
   * to its start or after its end.
   */
  private void tracedStep(Tracer t, long icountLimit) {
    Hart h = hart;
    boolean inWindow = h.icount >= traceFrom && h.icount < traceTo;
    long limit = inWindow ? h.icount + 1 : h.icount < traceFrom ? Math.min(icountLimit, traceFrom) : icountLimit;
    long icount0 = h.icount;
    int pc0 = h.pc;
    h.runFast(limit);
    if (h.icount == icount0 && h.fault == null) {
      h.stepSlow();
    }
    if (inWindow && h.icount > icount0) {
      int off = memory.offset(pc0, 4);
      t.retired(icount0, pc0, off < 0 ? 0 : memory.mem[off >>> 2]);
    }
  }

  /**
   * {@code len} bytes of guest RAM from {@code addr}, for debuggers and reports.
   *
   * @throws IllegalArgumentException when the range is not all RAM
   */
  public byte[] readMemory(int addr, int len) {
    int off = memory.offset(addr, len);
    if (off < 0 || len < 0) {
      throw new IllegalArgumentException(String.format("0x%08x + %d bytes is not in RAM", addr, len));
    }
    return memory.read(off, len);
  }

  /** The little-endian word at an aligned RAM address. */
  public int readWord(int addr) {
    byte[] b = readMemory(addr, 4);
    return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
  }

  /**
   * Debugger writes: {@code bytes} into guest RAM from {@code addr} (decoded code there is dropped, so
   * an overwritten instruction executes as written). A written machine no longer follows its log.
   *
   * @throws IllegalArgumentException when the range is not all RAM
   */
  public void writeMemory(int addr, byte[] bytes) {
    int off = memory.offset(addr, bytes.length);
    if (off < 0) {
      throw new IllegalArgumentException(String.format("0x%08x + %d bytes is not in RAM", addr, bytes.length));
    }
    memory.write(off, bytes, 0, bytes.length);
  }

  /** Debugger writes: register x{@code i} (a write of x0 is ignored, as the hart ignores it). */
  public void writeRegister(int i, int value) {
    if (i < 0 || i > 31) {
      throw new IllegalArgumentException("no register x" + i);
    }
    if (i != 0) {
      hart.x[i] = value;
    }
  }

  /** Debugger writes: the pc of the next instruction (aligned: RV32IM has no compressed instructions). */
  public void writePc(int pc) {
    if ((pc & 3) != 0) {
      throw new IllegalArgumentException(String.format("pc 0x%08x is not 4-byte aligned", pc));
    }
    hart.pc = pc;
  }

  /** Retired instructions so far. */
  public long icount() {
    return hart.icount;
  }

  public boolean halted() {
    return hart.halted;
  }

  /** The code the guest wrote to tohost; meaningful once {@link #halted()}. */
  public int exitCode() {
    return hart.exitCode;
  }

  /** The pc of the next instruction. */
  public int pc() {
    return hart.pc;
  }

  /** Register x{@code i}. */
  public int register(int i) {
    return hart.x[i];
  }

  /**
   * Applies an asynchronous event now. Its icount must equal {@link #icount()}.
   *
   * @throws IllegalArgumentException for another icount, a non-asynchronous kind or a payload that
   *     does not fit the device state (a DISK_DONE with no request in flight)
   */
  public void deliver(Event e) {
    if (e.icount() != hart.icount) {
      throw new IllegalArgumentException("event " + e + " delivered at icount " + hart.icount);
    }
    switch (e.kind()) {
      case PACKET: devices.packet(e.payload()); break;
      case DISK_DONE: devices.diskDone(e.payload()); break;
      case TIMER: devices.timerFired(); break;
      default: throw new IllegalArgumentException(e.kind() + " is not an asynchronous event");
    }
  }

  /** The timer compare value (µs of host time); the timer should fire once mtime reaches it. */
  public long mtimecmp() {
    return devices.mtimecmp;
  }

  /** Whether a TIMER was delivered and not yet cleared by a write of mtimecmp. */
  public boolean timerPending() {
    return devices.timerPending;
  }

  /** The DISK_START payload of the disk request in flight, or null (for drivers that reissue it). */
  public byte[] pendingDiskRequest() {
    return devices.pendingDiskRequest();
  }

  /** Packets the NIC's rx queue can take now; a driver holds the rest back rather than have them dropped. */
  public int rxRoom() {
    return devices.rxRoom();
  }

  /** Packets in the NIC's rx queue that the guest has not taken yet. */
  public int rxWaiting() {
    return devices.rxWaiting();
  }

  /** Packets the NIC dropped (rx queue full or bad destination). */
  public long rxDropped() {
    return devices.rxDropped;
  }

  /** Settings this machine was built with (the disk path is not part of a machine's state). */
  public MachineConfig config() {
    return MachineConfig.builder().ramBytes(memory.bytes).diskSectors(devices.diskSectors).build();
  }

  /** A hash of all guest-visible state; costs O(pages written since the last call). */
  public long stateHash() {
    long h = hart.hash(0x4C6F_636B_7374_6570L);
    h = devices.hash(h);
    return Hashing.add(h, memory.hash());
  }

  public void snapshot(DataOutput out) throws IOException {
    out.writeInt(SNAPSHOT_MAGIC);
    out.writeInt(SNAPSHOT_VERSION);
    memory.save(out);
    devices.save(out);
    hart.save(out);
    out.writeLong(stateHash());
  }

  /** A machine equal to the snapshotted one, continuing at the same icount with the given port. */
  public static Machine restore(DataInput in, HostPort port) throws IOException {
    int magic = in.readInt();
    if (magic != SNAPSHOT_MAGIC) {
      throw new IOException("not a machine snapshot (magic 0x" + Integer.toHexString(magic) + ")");
    }
    int version = in.readInt();
    if (version != SNAPSHOT_VERSION) {
      throw new IOException("machine snapshot version " + version + " not supported (expected " + SNAPSHOT_VERSION + ")");
    }
    Memory memory = Memory.load(in);
    Machine m = new Machine(memory, Devices.load(in, memory, port));
    m.hart.load(in);
    long expected = in.readLong();
    long actual = m.stateHash();
    if (expected != actual) {
      throw new IOException("machine snapshot corrupt: state hash " + Long.toHexString(actual)
          + " differs from the recorded " + Long.toHexString(expected));
    }
    return m;
  }

  public void setPort(HostPort port) {
    devices.port = Objects.requireNonNull(port, "port");
  }
}
