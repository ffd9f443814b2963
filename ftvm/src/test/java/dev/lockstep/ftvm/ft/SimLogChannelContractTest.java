package dev.lockstep.ftvm.ft;

import static org.junit.jupiter.api.Assertions.fail;

import dev.lockstep.ftvm.sim.Sim;
import dev.lockstep.ftvm.sim.SimLogClient;
import dev.lockstep.ftvm.sim.SimLogFrame;
import dev.lockstep.ftvm.sim.SimLogServer;
import dev.lockstep.ftvm.sim.SimNetwork;
import dev.lockstep.ftvm.sim.SimProcess;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The contract on the simulated channel: SimLogServer and SimLogClient on a SimNetwork, in virtual time. */
class SimLogChannelContractTest extends LogChannelContract {
  private static final long SEED = 13;
  /** How far virtual time moves between two looks at a condition. */
  private static final long STEP_NANOS = 1_000_000;

  @Override
  protected World newWorld() {
    return new SimWorld(SEED);
  }

  static final class SimWorld implements World {
    final Sim sim;
    final SimNetwork network;
    final SimProcess primaryProcess;
    private SimLogServer server;
    private String backupName;

    SimWorld(long seed) {
      sim = new Sim(seed);
      network = new SimNetwork(sim, SimNetwork.LAN);
      primaryProcess = new SimProcess(sim, "p1");
    }

    @Override
    public Primary startPrimary(ChannelSettings s, String nodeId, PrimaryListener l) {
      server = SimLogServer.start(network, primaryProcess, s, nodeId, l);
      return server::advanceEpoch;
    }

    @Override
    public Backup connectBackup(ChannelSettings s, String nodeId, BackupListener l) {
      backupName = nodeId;
      SimLogClient c = SimLogClient.connect(network, new SimProcess(sim, nodeId), server.address(), s, nodeId, l);
      return new Backup() {
        @Override
        public void ack(long seq, long executedIcount) {
          c.ack(seq, executedIcount);
        }

        @Override
        public void close(String reason) {
          c.close(reason);
        }

        @Override
        public boolean connected() {
          return c.connected();
        }
      };
    }

    @Override
    public void await(BooleanSupplier condition, Duration bound, String what) {
      long deadline = sim.now() + bound.toNanos();
      while (!condition.getAsBoolean()) {
        if (sim.now() >= deadline) {
          fail("not within " + bound + " of virtual time: " + what);
        }
        sim.runUntil(Math.min(deadline, sim.now() + STEP_NANOS));
      }
    }

    @Override
    public void holdsFor(BooleanSupplier condition, Duration d, String what) {
      long end = sim.now() + d.toNanos();
      while (sim.now() < end) {
        if (!condition.getAsBoolean()) {
          fail("stopped holding after " + (d.toNanos() - (end - sim.now())) / 1_000_000 + " ms of virtual time: " + what);
        }
        sim.runUntil(Math.min(end, sim.now() + STEP_NANOS));
      }
      if (!condition.getAsBoolean()) {
        fail("stopped holding at the end of " + d + " of virtual time: " + what);
      }
    }

    @Override
    public long nowNanos() {
      return sim.now();
    }

    @Override
    public void corruptNext(boolean toBackup, FrameType type) {
      network.tamperNext(from(toBackup), to(toBackup), SimLogFrame.corruptNext(type));
    }

    @Override
    public void restampNext(boolean toBackup, FrameType type, long epoch) {
      network.tamperNext(from(toBackup), to(toBackup), SimLogFrame.restampNext(type, epoch));
    }

    private String from(boolean toBackup) {
      return toBackup ? primaryProcess.name() : backupName;
    }

    private String to(boolean toBackup) {
      return toBackup ? backupName : primaryProcess.name();
    }

    @Override
    public void silence() {
      network.partition(primaryProcess.name(), backupName);
    }

    @Override
    public void close() {
      // nothing outlives the test: the world is garbage once dropped
    }
  }
}
