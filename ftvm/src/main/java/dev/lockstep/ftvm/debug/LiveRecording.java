package dev.lockstep.ftvm.debug;

import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.host.Recorder;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.rewind.Rewinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * A recording made as a debugger drives the guest forward: its own machine, recorded alone with the
 * primary's driver, stands at the frontier, and {@link #extendTo} records on when a step or continue
 * goes past it. So reverse execution reaches everything executed so far.
 *
 * <p>Bounded: it records at most {@code icountMax} instructions in all.
 */
public final class LiveRecording implements Rewinder.Recording {
  private final List<Event> events = new ArrayList<>();
  private final Machine frontier;
  private final Recorder recorder;
  private final long icountMax;
  private boolean ended;

  /**
   * @param machine booted, not yet run; this recording drives it from now on
   * @param outputs sees the guest's outputs as they are recorded (its console)
   */
  public LiveRecording(Machine machine, HostClock clock, IntSupplier random, OutputHandler outputs, long icountMax) {
    this.frontier = Objects.requireNonNull(machine, "machine");
    this.icountMax = icountMax;
    this.recorder = new Recorder(machine, clock, random, events::add, null, outputs, Long.MAX_VALUE);
  }

  @Override
  public List<Event> events() {
    return events;
  }

  @Override
  public long vouched() {
    return frontier.icount();
  }

  /** Whether the recording has ended: the guest halted or {@code icountMax} was reached. */
  public boolean ended() {
    return ended;
  }

  /**
   * Records on to {@code icount} (at most {@code icountMax}).
   *
   * @throws dev.lockstep.ftvm.machine.GuestFault when the guest cannot continue
   */
  @Override
  public void extendTo(long icount) {
    if (ended) {
      return;
    }
    if (recorder.run(Math.min(icount, icountMax)) != Recorder.Outcome.LIMIT) {
      ended = true;
    } else if (frontier.icount() >= icountMax) {
      recorder.finish();
      ended = true;
    }
  }
}
