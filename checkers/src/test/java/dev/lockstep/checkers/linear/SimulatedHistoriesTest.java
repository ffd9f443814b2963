package dev.lockstep.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.checkers.sim.Anomaly;
import dev.lockstep.checkers.sim.SimSpec;
import dev.lockstep.checkers.sim.StoreSimulator;
import dev.lockstep.histories.Op;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Histories from a simulated linearizable store are valid; with one injected anomaly, invalid. */
class SimulatedHistoriesTest {

  private static Result check(Model model, List<Op> ops) {
    LinearOptions options = LinearOptions.of(model, System::nanoTime).withTimeLimit(Duration.ofSeconds(30));
    return new LinearizabilityChecker(options).analyze(ops).result();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void casRegisterWithManyClientsAndCrashesIsValid(long seed) {
    List<Op> ops = StoreSimulator.run(SimSpec.casRegister(10, 3000, seed).withCrashPercent(5));
    assertEquals(Verdict.TRUE, check(Model.CAS_REGISTER, ops).verdict());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2})
  void kvAndListAppendAreValid(long seed) {
    List<Op> kv = StoreSimulator.run(SimSpec.casRegister(20, 5000, seed).withKeys(50).withCrashPercent(3));
    assertEquals(Verdict.TRUE, check(Model.KV, kv).verdict());
    List<Op> lists = StoreSimulator.run(SimSpec.casRegister(10, 2000, seed).withModel("list-append").withKeys(5).withCrashPercent(3));
    assertEquals(Verdict.TRUE, check(Model.LIST_APPEND, lists).verdict());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void staleReadIsInvalid(long seed) {
    List<Op> ops = StoreSimulator.run(SimSpec.casRegister(10, 2000, seed).withCrashPercent(3).withAnomaly(Anomaly.STALE_READ));
    assertEquals(Verdict.FALSE, check(Model.CAS_REGISTER, ops).verdict());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void lostWriteIsInvalid(long seed) {
    List<Op> ops = StoreSimulator.run(SimSpec.casRegister(10, 2000, seed).withCrashPercent(3).withAnomaly(Anomaly.LOST_WRITE));
    assertEquals(Verdict.FALSE, check(Model.CAS_REGISTER, ops).verdict());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void duplicatedAppendIsInvalid(long seed) {
    List<Op> ops = StoreSimulator.run(SimSpec.casRegister(10, 2000, seed).withModel("list-append").withKeys(3).withAnomaly(Anomaly.DUPLICATE_APPEND));
    assertEquals(Verdict.FALSE, check(Model.LIST_APPEND, ops).verdict());
  }

  @Test
  void sameSeedSameHistory() {
    SimSpec spec = SimSpec.casRegister(5, 500, 9).withCrashPercent(5);
    assertEquals(StoreSimulator.run(spec), StoreSimulator.run(spec));
  }

  @Test
  void timeBoundGivesUnknownWithTheReason() {
    List<Op> ops = StoreSimulator.run(SimSpec.casRegister(50, 20_000, 1));
    LinearOptions options = LinearOptions.of(Model.CAS_REGISTER, System::nanoTime).withTimeLimit(Duration.ofMillis(30));
    Result result = new LinearizabilityChecker(options).analyze(ops).result();
    assertEquals(Verdict.UNKNOWN, result.verdict());
    assertTrue(String.valueOf(result.evidence().get("reason")).startsWith("time limit"), result.toString());
  }

  @Test
  void memoryBoundGivesUnknownWithTheReason() {
    List<Op> ops = StoreSimulator.run(SimSpec.casRegister(50, 20_000, 1));
    LinearOptions options = LinearOptions.of(Model.CAS_REGISTER, System::nanoTime).withMemoBytesMax(1 << 20);
    Result result = new LinearizabilityChecker(options).analyze(ops).result();
    assertEquals(Verdict.UNKNOWN, result.verdict());
    assertTrue(String.valueOf(result.evidence().get("reason")).startsWith("memory bound"), result.toString());
  }
}
