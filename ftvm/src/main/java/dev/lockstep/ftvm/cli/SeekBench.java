package dev.lockstep.ftvm.cli;

import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.host.Recorder;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.rewind.Rewinder;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seek figures of {@code lockstep bench machine}: records a log {@code seekInstructions} long
 * (the guest rebooted never: the log must hold one run), then measures with a {@link Rewinder}:
 * {@code seek_cold_ms}, the first seek that far (executing everything and keeping snapshots);
 * {@code seek_ms}, the mean of seeks back to targets near the end (a restore plus at most one
 * interval); {@code reverse_step_ms}, the mean of reverse steps from just below a snapshot (the worst
 * case: a restore and a whole interval re-executed).
 */
final class SeekBench {
  private static final int SEEKS = 5;
  private static final int REVERSE_STEPS = 3;

  private SeekBench() {}

  static void run(byte[] image, long seekInstructions, long interval, PrintStream out) throws ElfException {
    List<Event> log = new ArrayList<>();
    Machine rec = Machine.boot(image, MachineConfig.defaults(), HostPort.UNATTACHED);
    SplittableRandom random = new SplittableRandom(15);
    Recorder recorder = new Recorder(rec, HostClock.SYSTEM, random::nextInt, log::add, null, OutputHandler.NONE,
        BenchMachineCommand.CHUNK_INSTRUCTIONS);
    recorder.run(seekInstructions + interval);
    recorder.finish();
    if (rec.icount() < seekInstructions) {
      out.println("seek_ms=unknown (the guest halted at icount " + rec.icount() + ", before " + seekInstructions + ")");
      return;
    }
    Rewinder w = new Rewinder(Machine.boot(image, MachineConfig.defaults(), HostPort.UNATTACHED), log, interval);
    long t0 = System.nanoTime();
    w.seek(seekInstructions);
    double cold = (System.nanoTime() - t0) / 1e6;
    long total = 0;
    for (int i = 1; i <= SEEKS; i++) {
      w.seek(0);
      long s = System.nanoTime();
      w.seek(seekInstructions - i * (interval / (SEEKS + 1)) - 1);
      total += System.nanoTime() - s;
    }
    double seek = total / 1e6 / SEEKS;
    w.seek(seekInstructions - 1);
    total = 0;
    for (int i = 0; i < REVERSE_STEPS; i++) {
      long s = System.nanoTime();
      w.reverseStep();
      total += System.nanoTime() - s;
      w.seek(seekInstructions - 1);
    }
    out.printf("seek_instructions=%d%nsnapshot_interval_instructions=%d%n", seekInstructions, interval);
    out.printf("seek_cold_ms=%.1f%nseek_ms=%.1f%nreverse_step_ms=%.1f%n", cold, seek, total / 1e6 / REVERSE_STEPS);
  }
}
