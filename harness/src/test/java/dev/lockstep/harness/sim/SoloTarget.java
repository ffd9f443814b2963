package dev.lockstep.harness.sim;

import dev.lockstep.ftvm.guests.Guests;
import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.machine.RunStatus;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.sim.Sim;
import dev.lockstep.ftvm.sim.SimClientPort;
import dev.lockstep.ftvm.sim.SimClusterSettings;
import dev.lockstep.ftvm.sim.SimProcess;
import dev.lockstep.ftvm.sim.SimTarget;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A stand-in {@link SimTarget} until the FT cluster runs in the simulation: ONE real guest machine, no
 * backup, no FT, no coordination service. It exists so the harness side of {@code lockstep sim} runs and
 * is tested end to end. Requests from the client port are delivered as PACKET events, NIC_TX outputs go
 * straight back to the port, and virtual time advances by the instructions executed at the settings'
 * speed. Its faults are the ones a single process can have: pause, slow, clock jumps and cut client links
 * act for real; a kill crashes the process and resets its clients, and a restart resumes the SAME machine
 * in a new process (as if it were suspended: a solo node has no backup to fail over to, and losing its
 * memory would make every kill an anomaly of this stand-in, not of the protocol). Peer and coordination
 * cuts do nothing.
 */
final class SoloTarget implements SimTarget {

  static final String NODE = "n1";
  /** Instructions one slice of the machine runs before the simulation takes its next task. */
  static final long SLICE_INSTRUCTIONS = 200_000;
  /** Requests waiting for the guest's rx queue; more are dropped as a NIC drops them. */
  static final int INBOX_PACKETS_MAX = 256;

  private final Sim sim;
  private final SimClusterSettings settings;
  private final SplittableRandom random;
  private final Machine machine;
  private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
  private SimProcess process;
  private SimClientPort port;
  private Sim.Task wake;
  private boolean running;
  private double speed = 1.0;
  private long sliceStartNanos;
  private long sliceStartIcount;
  private boolean stopped;

  SoloTarget(Sim sim, SimClusterSettings settings) {
    this.sim = sim;
    this.settings = settings;
    this.random = sim.random().split();
    try {
      this.machine = Machine.boot(Guests.load(settings.guest()), MachineConfig.defaults(), new Port());
    } catch (ElfException e) {
      throw new IllegalStateException("bundled guest " + settings.guest() + " does not boot: " + e.getMessage(), e);
    }
    startProcess();
  }

  private void startProcess() {
    process = new SimProcess(sim, NODE);
    port = new SimClientPort(sim, NODE, process);
    port.open(new SimClientPort.Inbox() {
      @Override
      public boolean offer(byte[] packet) {
        if (inbox.size() >= INBOX_PACKETS_MAX) {
          return false;
        }
        inbox.add(packet);
        return true;
      }

      @Override
      public void offered() {
        kick();
      }
    });
    running = false;
    kick();
  }

  /** Runs the machine now unless it is already scheduled to. */
  private void kick() {
    if (running || stopped || !process.alive()) {
      return;
    }
    if (wake != null) {
      wake.cancel();
      wake = null;
    }
    running = true;
    SimProcess p = process;
    p.after(0, () -> slice(p));
  }

  /** One slice of guest execution; virtual time moves on by the instructions it retired. */
  private void slice(SimProcess p) {
    if (p != process || stopped) {
      return;
    }
    sliceStartNanos = sim.now();
    sliceStartIcount = machine.icount();
    deliverDue();
    RunStatus status = machine.run(machine.icount() + SLICE_INSTRUCTIONS);
    port.repliesDone();
    long spent = nanosFor(machine.icount() - sliceStartIcount);
    if (status == RunStatus.HALTED) {
      running = false;
      return;
    }
    if (status == RunStatus.LIMIT || !inbox.isEmpty() && machine.rxRoom() > 0) {
      p.after(spent, () -> slice(p));
      return;
    }
    running = false; // idle: the next packet or the timer wakes it
    long timerDue = timerDueNanos();
    if (timerDue != Long.MAX_VALUE) {
      wake = p.at(Math.max(sim.now() + spent, timerDue), () -> {
        wake = null;
        kick();
      });
    }
  }

  private void deliverDue() {
    if (!machine.timerPending() && machine.mtimecmp() >= 0 && mtimeMicros() >= machine.mtimecmp()) {
      machine.deliver(Event.of(machine.icount(), EventKind.TIMER));
    }
    while (!inbox.isEmpty() && machine.rxRoom() > 0) {
      machine.deliver(new Event(machine.icount(), EventKind.PACKET, inbox.poll()));
    }
  }

  /** World time at which the guest's mtime reaches mtimecmp, or MAX_VALUE when no timer is armed. */
  private long timerDueNanos() {
    if (machine.timerPending() || machine.mtimecmp() < 0) {
      return Long.MAX_VALUE;
    }
    long micros = machine.mtimecmp() - process.clock().wallMicros();
    return micros <= 0 ? sim.now() : sim.now() + Math.min(micros, Long.MAX_VALUE / 2_000) * 1_000;
  }

  private long nanosFor(long instructions) {
    double ips = settings.instructionsPerSecond() * speed;
    return (long) Math.ceil(instructions * 1e9 / ips);
  }

  /** The clock as the guest sees it mid-slice: the slice's start plus the instructions since. */
  private long wallNanosNow() {
    return process.clock().wallNanos() + (sim.now() == sliceStartNanos ? nanosFor(machine.icount() - sliceStartIcount) : 0);
  }

  private long mtimeMicros() {
    return wallNanosNow() / 1_000;
  }

  private final class Port implements HostPort {
    @Override
    public long readClock(long icount, EventKind kind) {
      return kind == EventKind.CLOCK_RTC ? wallNanosNow() : mtimeMicros();
    }

    @Override
    public int readRandom(long icount) {
      return random.nextInt();
    }

    @Override
    public void output(long icount, EventKind kind, byte[] payload) {
      switch (kind) {
        case NIC_TX -> port.reply(payload);
        case CONSOLE_OUT -> { } // the guests' console says only that they serve
        default -> throw new IllegalStateException("the solo target has no disk: guest asked for " + kind);
      }
    }
  }

  @Override
  public Sim sim() {
    return sim;
  }

  @Override
  public List<String> nodes() {
    return List.of(NODE);
  }

  @Override
  public String publishedPrimary() {
    return process.alive() ? NODE : null;
  }

  @Override
  public SimClientPort clientPort(String node) {
    requireNode(node);
    return port;
  }

  @Override
  public Runnable afterNextRelease(String node, long delayNanos, Runnable fault) {
    throw new UnsupportedOperationException("the solo stand-in has no output rule to aim at");
  }

  @Override
  public boolean holdsOnlyCopy(String node) {
    return process.alive();
  }

  @Override
  public int exitCode(String node) {
    return process.alive() ? -1 : KILLED;
  }

  @Override
  public void kill(String node) {
    requireNode(node);
    if (process.alive()) {
      process.crash();
      port.close();
      running = false;
      wake = null;
    }
  }

  @Override
  public void restart(String node) {
    requireNode(node);
    if (!process.alive() && !stopped) {
      startProcess();
    }
  }

  @Override
  public void pause(String node) {
    requireNode(node);
    process.pause();
  }

  @Override
  public void resume(String node) {
    requireNode(node);
    process.resume();
  }

  @Override
  public void partitionPeers(String from, boolean oneWay) {
    requireNode(from);
  }

  @Override
  public void cutCoordination(String node) {
    requireNode(node);
  }

  @Override
  public void partitionClients(String node) {
    requireNode(node);
    port.partition(true);
  }

  @Override
  public void healNetwork() {
    port.partition(false);
  }

  @Override
  public void jumpClock(String node, long nanos) {
    requireNode(node);
    process.jumpClock(nanos);
  }

  @Override
  public void slow(String node, double factor) {
    requireNode(node);
    if (!(factor > 0)) {
      throw new IllegalArgumentException("speed factor must be positive: " + factor);
    }
    speed = factor;
  }

  @Override
  public void stop() {
    stopped = true;
    port.close();
  }

  private static void requireNode(String node) {
    if (!NODE.equals(node)) {
      throw new IllegalArgumentException("no node '" + node + "' (the solo target has only " + NODE + ")");
    }
  }
}
