package dev.lockstep.ftvm.node.host;

import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.HostDisk;
import dev.lockstep.ftvm.node.outputrule.OutputGate;
import dev.lockstep.ftvm.node.primary.FlowControl;
import dev.lockstep.ftvm.node.primary.LogStream;
import dev.lockstep.ftvm.node.primary.PrimaryDriver;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.EventSink;
import dev.lockstep.ftvm.replay.OutputHandler;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * Records a guest's run ({@code lockstep machine run --record}) with the primary's own driver, alone:
 * no backup and no cluster. Its log stream writes every event to the sink, its output gate releases
 * each output at once, and this class does the waiting the driver asks for by parking the thread that
 * calls {@link #run}. A log recorded here replays with the same {@link dev.lockstep.ftvm.replay.Replayer}
 * as a backup's.
 *
 * <p>{@link #offerPacket} and {@link #requestShutdown} may be called from any thread; everything else
 * runs on the recording thread.
 */
public final class Recorder {

  /** How a call of {@link #run} ended. */
  public enum Outcome { HALTED, LIMIT, SHUTDOWN }

  private final Machine machine;
  private final PrimaryDriver driver;
  private volatile Thread runner;
  private boolean ended;

  /**
   * @param machine booted or restored; the driver installs its port
   * @param sink where the recorded events go, in order (a replay log)
   * @param disk the disk file, or null: every disk request then completes with an error
   * @param outputs takes console bytes as they are logged and packets as the gate releases them
   * @param hashInterval instructions between two logged state hashes (besides the one at the end);
   *     {@link Long#MAX_VALUE}: none
   */
  public Recorder(Machine machine, HostClock clock, IntSupplier random, EventSink sink, HostDisk disk,
      OutputHandler outputs, long hashInterval) {
    this.machine = Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(outputs, "outputs");
    EventSink console = e -> {
      sink.append(e);
      if (e.kind() == EventKind.CONSOLE_OUT) {
        outputs.onOutput(e);
      }
    };
    OutputGate<PrimaryDriver.Held> gate = new OutputGate<>(OutputGate.Mode.ALONE,
        r -> outputs.onOutput(r.output().event()), OutputGate.PENDING_OUTPUTS_MAX, false);
    // no backup is ever attached, so the stream never sends
    LogStream stream = new LogStream(console, clock::monoNanos, ImmediateEventExecutor.INSTANCE);
    this.driver = new PrimaryDriver(machine, gate, stream, new FlowControl(FlowControl.LAG_MS_MAX_DEFAULT), clock,
        random, disk, false, hashInterval, PrimaryDriver.ClockFloors.NONE, this::wake, icount -> false,
        new Alone());
  }

  /** The largest burst of packets waiting for the guest; more are refused. */
  public static int packetsMax() {
    return PrimaryDriver.INBOX_PACKETS_MAX;
  }

  /** Queues a packet for the guest; false when the inbox is full (the packet is dropped). */
  public boolean offerPacket(byte[] packet) {
    boolean taken = driver.offerPacket(packet.clone());
    driver.packetsOffered();
    return taken;
  }

  /** Asks {@link #run} to log a state hash and SHUTDOWN and return. */
  public void requestShutdown() {
    driver.requestShutdown();
  }

  /**
   * Runs until the guest halts (its state hash and HALT logged), {@code maxIcount} is reached or a
   * shutdown is requested. Can be called again to continue; {@link #finish} ends a run that did not
   * halt.
   */
  public Outcome run(long maxIcount) {
    if (ended) {
      return machine.halted() ? Outcome.HALTED : Outcome.SHUTDOWN;
    }
    runner = Thread.currentThread();
    driver.icountLimit(maxIcount);
    while (true) {
      PrimaryDriver.Turn t = driver.turn();
      if (t.outcome() != null) {
        switch (t.outcome()) {
          case GUEST_HALTED -> {
            ended = true;
            return Outcome.HALTED;
          }
          case SHUTDOWN -> {
            ended = true;
            return Outcome.SHUTDOWN;
          }
          default -> {
            return Outcome.LIMIT;
          }
        }
      }
      if (t.waitNanos() > 0) {
        driver.waiting(true);
        LockSupport.parkNanos(this, t.waitNanos());
        driver.waiting(false);
      }
    }
  }

  /** Ends a run that did not halt: logs the state hash and SHUTDOWN. Does nothing after its end. */
  public void finish() {
    if (!ended) {
      driver.requestShutdown();
      run(Long.MAX_VALUE);
    }
  }

  private void wake() {
    Thread t = runner;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** A primary with no cluster: epoch 0, no snapshots, no event log. */
  private static final class Alone implements PrimaryDriver.Context {
    @Override
    public long epoch() {
      return 0;
    }

    @Override
    public byte[] snapshot(Machine m, PrimaryDriver.ClockFloors floors) throws IOException {
      throw new IOException("a recording has no backup to take a snapshot");
    }

    @Override
    public void halt(int exitCode, String reason) {
      throw new IllegalStateException("recording halted (exit " + exitCode + "): " + reason);
    }

    @Override
    public void stateHash(long icount, long hash) {}

    @Override
    public void note(String type, Map<String, Object> fields) {}
  }
}
