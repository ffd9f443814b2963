package dev.lockstep.ftvm.guests;

import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.machine.RunStatus;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.HostPort;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated host for running a guest in tests: a virtual clock that advances with the icount (and
 * jumps ahead while the guest idles), seeded randomness, an in-memory disk answered after a fixed
 * latency, the timer fired when the clock reaches mtimecmp, and packets injected on request or on a
 * schedule. Everything is a function of the image and the seed, so two runs with one seed are equal.
 *
 * <p>A server guest's periodic tick is housekeeping, not work a test waits for: a host made with
 * {@link #server} stops at IDLE when nothing but the tick is scheduled, and the tick fires when time
 * passed on ({@link #passTime}) reaches it.
 */
final class SimHost implements HostPort {
  static final long INSTRUCTIONS_PER_US = 100;
  static final long DISK_LATENCY_US = 50;
  static final long RTC_BASE_NS = 1_700_000_000_000_000_000L;
  private static final int SECTOR_BYTES = 512;

  private final SplittableRandom random;
  private final byte[] disk;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final List<byte[]> sent = new ArrayList<>();
  private final List<Event> log = new ArrayList<>();
  final Machine machine;
  private long idleUs;
  private byte[] diskRequest;
  private long diskDoneUs;
  private long syncEvents;
  private long asyncEvents;
  private long packetsLeft;
  private long packetIntervalUs;
  private long nextPacketUs;
  private boolean timerWakesIdle = true;

  /** A host for the kv and append guests: an idle guest with only its tick ahead counts as idle. */
  static SimHost server(byte[] image, long diskSectors, long seed) throws ElfException {
    SimHost h = new SimHost(image, diskSectors, seed);
    h.timerWakesIdle = false;
    return h;
  }

  SimHost(byte[] image, long diskSectors, long seed) throws ElfException {
    this.random = new SplittableRandom(seed);
    this.disk = new byte[Math.toIntExact(diskSectors * SECTOR_BYTES)];
    random.nextBytes(disk);
    this.machine = Machine.boot(image, MachineConfig.builder().diskSectors(diskSectors).build(), this);
  }

  /** Also injects {@code count} random packets, one every {@code intervalUs} of virtual time. */
  void schedulePackets(long count, long intervalUs) {
    packetsLeft = count;
    packetIntervalUs = intervalUs;
    nextPacketUs = nowUs() + intervalUs;
  }

  /** Moves the virtual clock on by {@code us} without retiring instructions, as an idle host does. */
  void passTime(long us) {
    idleUs += us;
  }

  /** Microseconds of virtual host time at the machine's icount. */
  long nowUs() {
    return machine.icount() / INSTRUCTIONS_PER_US + idleUs;
  }

  @Override
  public long readClock(long icount, EventKind kind) {
    syncEvents++;
    long us = icount / INSTRUCTIONS_PER_US + idleUs;
    long value = kind == EventKind.CLOCK_RTC ? RTC_BASE_NS + us * 1000 : us;
    log.add(Event.ofLong(icount, kind, value));
    return value;
  }

  @Override
  public int readRandom(long icount) {
    syncEvents++;
    int value = random.nextInt();
    log.add(Event.ofInt(icount, EventKind.RNG, value));
    return value;
  }

  @Override
  public void output(long icount, EventKind kind, byte[] payload) {
    log.add(new Event(icount, kind, payload));
    switch (kind) {
      case CONSOLE_OUT -> console.write(payload[0]);
      case NIC_TX -> sent.add(payload);
      case DISK_START -> {
        diskRequest = payload;
        diskDoneUs = icount / INSTRUCTIONS_PER_US + idleUs + DISK_LATENCY_US;
      }
      default -> throw new IllegalArgumentException("unexpected output " + kind);
    }
  }

  /** Delivers a packet now. */
  void inject(byte[] packet) {
    deliver(new Event(machine.icount(), EventKind.PACKET, packet));
  }

  /**
   * Runs until the guest halts, or idles with nothing scheduled (IDLE), or {@code instructionsMax}
   * more instructions retired (LIMIT).
   */
  RunStatus run(long instructionsMax) {
    long end = machine.icount() + instructionsMax;
    while (true) {
      deliverDue();
      long next = nextDeadlineUs();
      long limit = end;
      long busyUs = next - idleUs;
      if (next != Long.MAX_VALUE && busyUs < end / INSTRUCTIONS_PER_US) {
        limit = Math.max(machine.icount() + 1, busyUs * INSTRUCTIONS_PER_US);
      }
      RunStatus s = machine.run(limit);
      if (s == RunStatus.HALTED) {
        return s;
      }
      if (s == RunStatus.IDLE) {
        next = timerWakesIdle ? nextDeadlineUs() : nextDeadlineUsBesidesTimer();
        if (next == Long.MAX_VALUE) {
          return s;
        }
        idleUs += Math.max(0, next - nowUs());
      }
      if (machine.icount() >= end) {
        return RunStatus.LIMIT;
      }
    }
  }

  private long nextDeadlineUs() {
    long next = Long.MAX_VALUE;
    if (diskRequest != null) {
      next = diskDoneUs;
    }
    if (timerArmed()) {
      next = Math.min(next, machine.mtimecmp());
    }
    if (packetsLeft > 0) {
      next = Math.min(next, nextPacketUs);
    }
    return next;
  }

  private long nextDeadlineUsBesidesTimer() {
    long next = diskRequest != null ? diskDoneUs : Long.MAX_VALUE;
    return packetsLeft > 0 ? Math.min(next, nextPacketUs) : next;
  }

  private boolean timerArmed() {
    return !machine.timerPending() && machine.mtimecmp() >= 0;
  }

  private void deliverDue() {
    long now = nowUs();
    if (diskRequest != null && now >= diskDoneUs) {
      deliver(new Event(machine.icount(), EventKind.DISK_DONE, completeDisk(diskRequest)));
      diskRequest = null;
    }
    if (timerArmed() && now >= machine.mtimecmp()) {
      deliver(Event.of(machine.icount(), EventKind.TIMER));
    }
    if (packetsLeft > 0 && now >= nextPacketUs) {
      byte[] p = new byte[1 + random.nextInt(256)];
      random.nextBytes(p);
      inject(p);
      packetsLeft--;
      nextPacketUs = now + packetIntervalUs;
    }
  }

  private byte[] completeDisk(byte[] start) {
    ByteBuffer b = ByteBuffer.wrap(start).order(ByteOrder.LITTLE_ENDIAN);
    int op = b.get();
    int at = b.getInt() * SECTOR_BYTES;
    int bytes = b.getInt() * SECTOR_BYTES;
    if (op == 2) {
      System.arraycopy(start, 9, disk, at, bytes);
      return new byte[] {2};
    }
    byte[] done = new byte[1 + bytes];
    done[0] = 2;
    System.arraycopy(disk, at, done, 1, bytes);
    return done;
  }

  private void deliver(Event e) {
    asyncEvents++;
    log.add(e);
    machine.deliver(e);
  }

  /** Packets the guest sent since the last call. */
  List<byte[]> takeSent() {
    List<byte[]> out = new ArrayList<>(sent);
    sent.clear();
    return out;
  }

  String console() {
    return console.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  long syncEvents() {
    return syncEvents;
  }

  long asyncEvents() {
    return asyncEvents;
  }

  /** Every input and output so far, in the order the machine saw them: a replay log. */
  List<Event> log() {
    return List.copyOf(log);
  }

  byte[] diskCopy() {
    return Arrays.copyOf(disk, disk.length);
  }
}
