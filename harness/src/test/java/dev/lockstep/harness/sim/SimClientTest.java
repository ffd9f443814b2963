package dev.lockstep.harness.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.client.Request;
import dev.lockstep.ftvm.client.Result;
import dev.lockstep.ftvm.client.SimFtClient;
import dev.lockstep.ftvm.client.Status;
import dev.lockstep.ftvm.sim.Sim;
import dev.lockstep.ftvm.sim.SimClusterSettings;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated client library against one real kv guest: outcomes decided in virtual time. */
class SimClientTest {

  static final long TIMEOUT_NANOS = 2_000_000_000L;

  @TempDir Path tmp;

  private Sim sim;
  private SoloTarget target;

  private void boot() {
    sim = new Sim(1);
    target = new SoloTarget(sim, SimClusterSettings.defaults("kv", tmp, Set.of()));
  }

  private Result call(SimFtClient client, Request r) {
    Result[] out = new Result[1];
    long start = sim.now();
    client.call(r, res -> out[0] = res);
    SimRunner.runWhile(sim, () -> out[0] == null, start + 10 * TIMEOUT_NANOS);
    assertTrue(sim.now() - start <= TIMEOUT_NANOS, "an outcome within the timeout, in virtual time");
    return out[0];
  }

  @Test
  void okFailAndNilAreTheGuestsAnswers() {
    boot();
    SimFtClient c = new SimFtClient(target, 1, TIMEOUT_NANOS);
    assertInstanceOf(Result.Ok.class, call(c, Request.read(4)), "nil read is ok");
    assertInstanceOf(Result.Ok.class, call(c, Request.write(4, 9)));
    Result read = call(c, Request.read(4));
    assertEquals(9, ((Result.Ok) read).reply().value());
    Result cas = call(c, Request.cas(4, 1, 2));
    assertEquals(Status.FAIL, ((Result.Fail) cas).reply().orElseThrow().status());
    assertEquals(4, c.lastReqSeq());
  }

  @Test
  void aPausedNodeMakesTheCallInfoAndAKilledOneMakesItFailUnsent() {
    boot();
    SimFtClient c = new SimFtClient(target, 1, TIMEOUT_NANOS);
    assertInstanceOf(Result.Ok.class, call(c, Request.write(1, 1)));
    target.pause(SoloTarget.NODE);
    Result paused = call(c, Request.write(1, 2));
    assertInstanceOf(Result.Info.class, paused, "sent, no answer: unknown");
    target.resume(SoloTarget.NODE);
    sim.runUntil(sim.now() + 100_000_000L); // the resumed node reads the held request and answers nobody
    target.kill(SoloTarget.NODE);
    SimFtClient fresh = new SimFtClient(target, 2, TIMEOUT_NANOS);
    Result killed = call(fresh, Request.write(1, 3));
    assertInstanceOf(Result.Fail.class, killed, "no primary: never sent");
    assertTrue(((Result.Fail) killed).reason().startsWith("never sent"), killed.toString());
    target.restart(SoloTarget.NODE);
    Result back = call(fresh, Request.read(1));
    assertEquals(2, ((Result.Ok) back).reply().value(), "the write that ended info did take effect");
  }

  @Test
  void aResetMidCallIsRetriedWithTheSameReqSeq() {
    boot();
    SimFtClient c = new SimFtClient(target, 5, TIMEOUT_NANOS);
    assertInstanceOf(Result.Ok.class, call(c, Request.write(2, 7)));
    Result[] out = new Result[1];
    target.pause(SoloTarget.NODE);
    c.call(Request.write(2, 8), r -> out[0] = r);
    sim.runUntil(sim.now() + 100_000_000L);
    target.kill(SoloTarget.NODE); // resets the connection with the request read by nobody
    target.restart(SoloTarget.NODE);
    SimRunner.runWhile(sim, () -> out[0] == null, sim.now() + TIMEOUT_NANOS);
    assertInstanceOf(Result.Ok.class, out[0], "resent after the reset, answered once: " + out[0]);
    assertEquals(2, c.lastReqSeq());
  }
}
