package dev.lockstep.ftvm.replay;

import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.RunStatus;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives a recording machine: runs it in slices, and between slices stamps the host's asynchronous
 * events (timer, packets, disk completions) with the current icount, appends them to the sink and
 * delivers them. When the guest idles (wfi) it waits, bounded, for the next host event. The machine
 * must have been booted with a {@link RecordingPort} writing to the same sink.
 *
 * <p>{@link #offerPacket} and {@link #requestShutdown} may be called from any thread; everything
 * else runs on the driving thread.
 */
public final class Recorder {
  /** Instructions per slice: bounds the delay of an asynchronous event (~1 ms at 400 MIPS). */
  public static final long SLICE_INSTRUCTIONS = 1 << 18;
  /** Packets waiting for delivery; more are refused. */
  public static final int PACKET_QUEUE_MAX = 1024;
  /** Longest single wait of an idle guest for a host event. */
  public static final long IDLE_WAIT_MICROS_MAX = 10_000;

  /** How a recording ended. */
  public enum Outcome { HALTED, LIMIT, SHUTDOWN }

  private final Machine machine;
  private final HostEnvironment env;
  private final EventSink sink;
  private final DiskBackend disk;
  private final BlockingQueue<byte[]> packets = new ArrayBlockingQueue<>(PACKET_QUEUE_MAX);
  private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
  private volatile boolean shutdown;
  private boolean ended;

  /** @param disk the disk file, or null: every disk request then completes with an error */
  public Recorder(Machine machine, HostEnvironment env, EventSink sink, DiskBackend disk) {
    this.machine = Objects.requireNonNull(machine, "machine");
    this.env = Objects.requireNonNull(env, "env");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.disk = disk;
  }

  /** Queues a packet for the guest; false when the queue is full (the packet is dropped). */
  public boolean offerPacket(byte[] packet) {
    return packets.offer(packet.clone());
  }

  /** Asks {@link #run} to return at the end of the current slice. */
  public void requestShutdown() {
    shutdown = true;
  }

  /**
   * Runs until the guest halts (then logs STATE_HASH and HALT, once), {@code maxIcount} is reached
   * or a shutdown is requested. Can be called again to continue; {@link #finish} ends a run that did
   * not halt.
   */
  public Outcome run(long maxIcount) {
    while (true) {
      if (machine.halted()) {
        if (!ended) {
          ended = true;
          checkpoint();
          sink.append(Event.ofInt(machine.icount(), EventKind.HALT, machine.exitCode()));
        }
        return Outcome.HALTED;
      }
      if (shutdown) {
        return Outcome.SHUTDOWN;
      }
      if (machine.icount() >= maxIcount) {
        return Outcome.LIMIT;
      }
      deliverHostEvents();
      RunStatus s = machine.run(Math.min(maxIcount, machine.icount() + SLICE_INSTRUCTIONS));
      if (s == RunStatus.IDLE) {
        awaitHostEvent();
      }
    }
  }

  /** Logs the state hash at the current icount (a divergence check point for replay). */
  public void checkpoint() {
    sink.append(Event.ofLong(machine.icount(), EventKind.STATE_HASH, machine.stateHash()));
  }

  /** Ends a run that did not halt: logs STATE_HASH and SHUTDOWN. Does nothing after a HALT. */
  public void finish() {
    if (!ended) {
      ended = true;
      checkpoint();
      sink.append(Event.of(machine.icount(), EventKind.SHUTDOWN));
    }
  }

  /** Delivers every host event that is due now. */
  public void deliverHostEvents() {
    if (!machine.timerPending() && Long.compareUnsigned(env.mtimeMicros(), machine.mtimecmp()) >= 0) {
      deliver(Event.of(machine.icount(), EventKind.TIMER));
    }
    packets.drainTo(ready, Math.max(0, PACKET_QUEUE_MAX - ready.size()));
    // packets the guest's rx queue has no room for stay ready for a later slice instead of being dropped
    while (machine.rxRoom() > 0 && !ready.isEmpty()) {
      deliver(new Event(machine.icount(), EventKind.PACKET, ready.poll()));
    }
    byte[] request = machine.pendingDiskRequest();
    if (request != null) {
      byte[] done = disk == null ? new byte[] {Machine.DISK_STATUS_ERROR} : disk.perform(request);
      deliver(new Event(machine.icount(), EventKind.DISK_DONE, done));
    }
  }

  private void deliver(Event e) {
    sink.append(e);
    machine.deliver(e);
  }

  /** Waits until the timer is due or a packet arrives, at most {@link #IDLE_WAIT_MICROS_MAX}. */
  private void awaitHostEvent() {
    long wait = IDLE_WAIT_MICROS_MAX;
    if (!machine.timerPending()) {
      long now = env.mtimeMicros();
      long cmp = machine.mtimecmp();
      // mtime and mtimecmp compare unsigned: a guest writes all ones to mean "never"
      long untilTimer = Long.compareUnsigned(cmp, now) <= 0 ? 0 : cmp - now;
      if (untilTimer >= 0 && untilTimer < wait) {
        wait = untilTimer;
      }
    }
    if (wait == 0 || machine.pendingDiskRequest() != null || (!ready.isEmpty() && machine.rxRoom() > 0)) {
      return;
    }
    try {
      byte[] p = packets.poll(wait, TimeUnit.MICROSECONDS);
      if (p != null) {
        ready.add(p);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdown = true;
    }
  }
}
