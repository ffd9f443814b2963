package dev.lockstep.ftvm.sim;

import static org.junit.jupiter.api.Assertions.fail;

import dev.lockstep.ftvm.golive.ConnectionListener;
import dev.lockstep.ftvm.golive.Coordination;
import dev.lockstep.ftvm.golive.CoordinationContract;
import dev.lockstep.ftvm.golive.ZkUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The coordination contract on the simulator's ZooKeeper twin, in virtual time. */
class ZkTwinContractTest extends CoordinationContract {
  private static final long SEED = 13;
  private static final Duration SESSION = Duration.ofMillis(500);
  private static final long BOUND_NANOS = 20_000_000_000L;
  private static final long STEP_NANOS = 1_000_000L;

  @Override
  protected Fixture newFixture(Duration containerCheck) {
    return new TwinFixture(containerCheck);
  }

  static final class TwinFixture implements Fixture {
    final Sim sim = new Sim(SEED);
    final ZkTwin twin;
    private final List<Coordination> nodes = new ArrayList<>();
    private final List<SimProcess> processes = new ArrayList<>();

    TwinFixture(Duration containerCheck) {
      twin = new ZkTwin(sim, containerCheck.toNanos());
    }

    @Override
    public Coordination join(String nodeId, ConnectionListener listener) throws ZkUnavailableException {
      SimProcess p = new SimProcess(sim, nodeId + "#" + (processes.size() + 1));
      Coordination c = twin.client(p, cluster(), nodeId, SESSION.toNanos(), listener);
      nodes.add(c);
      processes.add(p);
      c.start();
      return c;
    }

    private SimProcess processOf(Coordination node) {
      return processes.get(nodes.indexOf(node));
    }

    @Override
    public void cut(Coordination node) {
      twin.cut(processOf(node));
    }

    @Override
    public void heal(Coordination node) {
      twin.heal(processOf(node));
    }

    @Override
    public void await(String what, BooleanSupplier condition) {
      long deadline = sim.now() + BOUND_NANOS;
      while (!condition.getAsBoolean()) {
        if (sim.now() >= deadline) {
          fail("not within " + BOUND_NANOS / 1_000_000 + " virtual ms: " + what);
        }
        sim.runUntil(sim.now() + STEP_NANOS);
      }
    }

    @Override
    public long nowNanos() {
      return sim.now();
    }

    @Override
    public Duration sessionTimeout() {
      return SESSION;
    }

    @Override
    public String cluster() {
      return "contract";
    }

    @Override
    public boolean exists(String path) {
      return twin.data(path) != null;
    }

    @Override
    public void close() {
      for (Coordination c : nodes) {
        c.close();
      }
    }
  }
}
