package dev.lockstep.checkers.linear;

import static dev.lockstep.checkers.linear.Hist.l;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.Op;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-written histories, one per rule of Knossos's semantics, with the verdict each must get. */
class GoldenHistoriesTest {

  private static LinearReport check(Model model, List<Op> ops) {
    return check(LinearOptions.of(model, System::nanoTime).withTimeLimit(Duration.ofSeconds(10)), ops);
  }

  private static LinearReport check(LinearOptions options, List<Op> ops) {
    return new LinearizabilityChecker(options).analyze(ops);
  }

  private static Verdict verdict(Model model, Hist h) {
    return check(model, h.ops()).result().verdict();
  }

  @Test
  void sequentialWritesAndReadsAreValid() {
    Hist h = Hist.of().invoke(0, "write", 1L).ok(0, "write", 1L).invoke(1, "read", null).ok(1, "read", 1L);
    assertEquals(Verdict.TRUE, verdict(Model.REGISTER, h));
  }

  @Test
  void staleReadIsInvalidWithCounterexample() {
    Hist h = Hist.of()
        .invoke(0, "write", 1L).ok(0, "write", 1L)
        .invoke(0, "write", 2L).ok(0, "write", 2L)
        .invoke(1, "read", null).invoke(2, "write", 3L).ok(1, "read", 1L).ok(2, "write", 3L);
    LinearReport report = check(Model.REGISTER, h.ops());
    assertEquals(Verdict.FALSE, report.result().verdict());
    Counterexample ce = report.counterexample();
    assertEquals("read", ce.op().invoke().f());
    assertEquals(1L, ce.op().value());
    // Before the read, the register holds 2, or 3 if the concurrent write went first.
    assertEquals(java.util.Set.of(2L, 3L), new java.util.HashSet<>(ce.states()));
    assertEquals(1, ce.concurrent().size(), "the concurrent write of 3");
    assertTrue(ce.text().contains("no order fits"), ce.text());
    assertTrue(CounterexampleHtml.render(ce).contains("class=\"bar stuck\""));
    Map<String, Object> evidence = report.result().evidence();
    assertEquals(2, ((List<?>) evidence.get("states-before")).size());
  }

  @Test
  void concurrentWriteMayExplainARead() {
    Hist h = Hist.of()
        .invoke(0, "write", 1L).ok(0, "write", 1L)
        .invoke(1, "read", null).invoke(2, "write", 2L).ok(1, "read", 2L).ok(2, "write", 2L);
    assertEquals(Verdict.TRUE, verdict(Model.REGISTER, h));
  }

  @Test
  void infoWriteThatTookEffectIsVisible() {
    Hist h = Hist.of()
        .invoke(0, "write", 1L).info(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", 1L);
    assertEquals(Verdict.TRUE, verdict(Model.REGISTER, h));
  }

  @Test
  void infoWriteMayNeverHaveHappened() {
    Hist h = Hist.of()
        .invoke(0, "write", 0L).ok(0, "write", 0L)
        .invoke(1, "write", 1L).info(1, "write", 1L)
        .invoke(2, "read", null).ok(2, "read", 0L);
    assertEquals(Verdict.TRUE, verdict(Model.REGISTER, h));
  }

  @Test
  void infoWriteCannotBeUndone() {
    Hist h = Hist.of()
        .invoke(0, "write", 0L).ok(0, "write", 0L)
        .invoke(1, "write", 1L).info(1, "write", 1L)
        .invoke(2, "read", null).ok(2, "read", 1L)
        .invoke(2, "read", null).ok(2, "read", 0L);
    assertEquals(Verdict.FALSE, verdict(Model.REGISTER, h));
  }

  @Test
  void infoWriteCannotTakeEffectBeforeItsInvocation() {
    Hist h = Hist.of()
        .invoke(0, "write", 0L).ok(0, "write", 0L)
        .invoke(2, "read", null).ok(2, "read", 1L)
        .invoke(1, "write", 1L).info(1, "write", 1L);
    assertEquals(Verdict.FALSE, verdict(Model.REGISTER, h));
  }

  @Test
  void failedCasDidNotHappen() {
    Hist base = Hist.of()
        .invoke(0, "write", 0L).ok(0, "write", 0L)
        .invoke(1, "cas", l(0L, 1L)).fail(1, "cas", l(0L, 1L))
        .invoke(2, "read", null);
    assertEquals(Verdict.FALSE, verdict(Model.CAS_REGISTER, copy(base).ok(2, "read", 1L)));
    assertEquals(Verdict.TRUE, verdict(Model.CAS_REGISTER, copy(base).ok(2, "read", 0L)));
  }

  @Test
  void okCasMustFindItsExpectedValue() {
    Hist h = Hist.of()
        .invoke(0, "write", 0L).ok(0, "write", 0L)
        .invoke(1, "cas", l(2L, 1L)).ok(1, "cas", l(2L, 1L));
    assertEquals(Verdict.FALSE, verdict(Model.CAS_REGISTER, h));
  }

  @Test
  void crashedCasChainsExplainARead() {
    Hist h = Hist.of()
        .invoke(0, "write", 0L).ok(0, "write", 0L)
        .invoke(1, "cas", l(0L, 1L)).info(1, "cas", l(0L, 1L))
        .invoke(2, "cas", l(1L, 2L)).info(2, "cas", l(1L, 2L))
        .invoke(3, "read", null).ok(3, "read", 2L);
    assertEquals(Verdict.TRUE, verdict(Model.CAS_REGISTER, h));
  }

  @Test
  void pendingOpsAtTheEndMayOrMayNotHappen() {
    Hist seen = Hist.of().invoke(0, "write", 1L).invoke(1, "read", null).ok(1, "read", 1L);
    Hist unseen = Hist.of().invoke(0, "write", 1L).invoke(1, "read", null).ok(1, "read", null);
    assertEquals(Verdict.TRUE, verdict(Model.REGISTER, seen));
    assertEquals(Verdict.TRUE, verdict(Model.REGISTER, unseen));
  }

  @Test
  void crashedReadsConstrainNothing() {
    Hist h = Hist.of().invoke(0, "read", null).info(0, "read", 42L).invoke(1, "read", null).ok(1, "read", null);
    assertEquals(Verdict.TRUE, verdict(Model.REGISTER, h));
  }

  @Test
  void processIdReusedAfterInfoStartsANewCall() {
    Hist h = Hist.of()
        .invoke(0, "write", 1L).info(0, "write", 1L)
        .invoke(0, "read", null).ok(0, "read", null)
        .invoke(0, "read", null).ok(0, "read", 1L);
    assertEquals(Verdict.TRUE, verdict(Model.REGISTER, h));
    Hist back = Hist.of()
        .invoke(0, "write", 1L).info(0, "write", 1L)
        .invoke(0, "read", null).ok(0, "read", 1L)
        .invoke(0, "read", null).ok(0, "read", null);
    assertEquals(Verdict.FALSE, verdict(Model.REGISTER, back));
  }

  @Test
  void nemesisOpsAreIgnored() {
    Hist h = Hist.of().nemesis("start").invoke(0, "write", 1L).nemesis("stop").ok(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", 1L);
    assertEquals(Verdict.TRUE, verdict(Model.REGISTER, h));
  }

  @Test
  void multiKeyHistoriesAreCheckedPerKeyAndNameTheBadKey() {
    Hist h = Hist.of()
        .invoke(0, "write", 1L, "a").ok(0, "write", 1L, "a")
        .invoke(1, "write", 2L, "b").ok(1, "write", 2L, "b")
        .invoke(2, "read", null, "a").ok(2, "read", 1L, "a")
        .invoke(3, "read", null, "b").ok(3, "read", 1L, "b");
    LinearReport report = check(Model.KV, h.ops());
    assertEquals(Verdict.FALSE, report.result().verdict());
    assertEquals("b", report.counterexample().key());
    // The same reads per key, but each sees its own write: valid.
    Hist fine = Hist.of()
        .invoke(0, "write", 1L, "a").ok(0, "write", 1L, "a")
        .invoke(1, "write", 2L, "b").ok(1, "write", 2L, "b")
        .invoke(3, "read", null, "b").ok(3, "read", 2L, "b");
    assertEquals(Verdict.TRUE, verdict(Model.KV, fine));
  }

  @Test
  void independentTuplesCarryTheKey() {
    Hist h = Hist.of()
        .invoke(0, "write", l("x", 1L)).ok(0, "write", l("x", 1L))
        .invoke(1, "write", l("y", 2L)).ok(1, "write", l("y", 2L))
        .invoke(2, "read", l("x", null)).ok(2, "read", l("x", 1L));
    assertEquals(Verdict.TRUE, verdict(Model.KV, h));
    Hist bad = Hist.of()
        .invoke(0, "write", l("x", 1L)).ok(0, "write", l("x", 1L))
        .invoke(1, "write", l("y", 2L)).ok(1, "write", l("y", 2L))
        .invoke(2, "read", l("x", null)).ok(2, "read", l("x", 2L));
    assertEquals(Verdict.FALSE, verdict(Model.KV, bad));
  }

  @Test
  void mutexAllowsOneHolder() {
    Hist ok = Hist.of().invoke(0, "acquire", null).ok(0, "acquire", null).invoke(0, "release", null)
        .ok(0, "release", null).invoke(1, "acquire", null).ok(1, "acquire", null);
    assertEquals(Verdict.TRUE, verdict(Model.MUTEX, ok));
    Hist twice = Hist.of().invoke(0, "acquire", null).ok(0, "acquire", null)
        .invoke(1, "acquire", null).ok(1, "acquire", null);
    assertEquals(Verdict.FALSE, verdict(Model.MUTEX, twice));
    Hist crashed = Hist.of().invoke(0, "acquire", null).info(0, "acquire", null)
        .invoke(1, "acquire", null).ok(1, "acquire", null);
    assertEquals(Verdict.TRUE, verdict(Model.MUTEX, crashed));
  }

  @Test
  void listAppendReadsMustBePrefixesInOrder() {
    Hist ok = Hist.of()
        .invoke(0, "append", 1L, "k").ok(0, "append", 1L, "k")
        .invoke(0, "append", 2L, "k").ok(0, "append", 2L, "k")
        .invoke(1, "read", null, "k").ok(1, "read", l(1L, 2L), "k");
    assertEquals(Verdict.TRUE, verdict(Model.LIST_APPEND, ok));
    Hist swapped = Hist.of()
        .invoke(0, "append", 1L, "k").ok(0, "append", 1L, "k")
        .invoke(0, "append", 2L, "k").ok(0, "append", 2L, "k")
        .invoke(1, "read", null, "k").ok(1, "read", l(2L, 1L), "k");
    assertEquals(Verdict.FALSE, verdict(Model.LIST_APPEND, swapped));
    Hist duplicated = Hist.of()
        .invoke(0, "append", 1L, "k").ok(0, "append", 1L, "k")
        .invoke(1, "read", null, "k").ok(1, "read", l(1L, 1L), "k");
    assertEquals(Verdict.FALSE, verdict(Model.LIST_APPEND, duplicated));
    Hist crashedSeen = Hist.of()
        .invoke(0, "append", 1L, "k").info(0, "append", 1L, "k")
        .invoke(1, "read", null, "k").ok(1, "read", l(1L), "k");
    assertEquals(Verdict.TRUE, verdict(Model.LIST_APPEND, crashedSeen));
  }

  @Test
  void knossosNilMakesANilReadMatchAnything() {
    Hist h = Hist.of().invoke(0, "write", 1L).ok(0, "write", 1L).invoke(1, "read", null).ok(1, "read", null);
    LinearOptions options = LinearOptions.of(Model.REGISTER, System::nanoTime);
    assertEquals(Verdict.FALSE, check(options, h.ops()).result().verdict());
    assertEquals(Verdict.TRUE, check(options.withKnossosNil(true), h.ops()).result().verdict());
  }

  @Test
  void initialValueSetsTheFirstState() {
    Hist h = Hist.of().invoke(0, "read", null).ok(0, "read", 5L);
    LinearOptions options = LinearOptions.of(Model.REGISTER, System::nanoTime);
    assertEquals(Verdict.FALSE, check(options, h.ops()).result().verdict());
    assertEquals(Verdict.TRUE, check(options.withInit(5L), h.ops()).result().verdict());
  }

  @Test
  void modelIsInferredFromTheOps() {
    Hist h = Hist.of().invoke(0, "cas", l(null, 1L)).ok(0, "cas", l(null, 1L));
    Result result = check(LinearOptions.of(null, System::nanoTime), h.ops()).result();
    assertEquals(Verdict.TRUE, result.verdict());
    assertEquals("cas-register", result.evidence().get("model"));
  }

  @Test
  void completionWithoutInvocationIsUnknownWithTheReason() {
    Hist h = Hist.of().ok(0, "write", 1L);
    Result result = check(Model.REGISTER, h.ops()).result();
    assertEquals(Verdict.UNKNOWN, result.verdict());
    assertTrue(String.valueOf(result.evidence().get("reason")).contains("index 0"), result.toString());
  }

  @Test
  void opUnknownToTheModelIsUnknownWithTheReason() {
    Hist h = Hist.of().invoke(0, "cas", l(1L, 2L)).ok(0, "cas", l(1L, 2L));
    Result result = check(Model.REGISTER, h.ops()).result();
    assertEquals(Verdict.UNKNOWN, result.verdict());
    assertTrue(String.valueOf(result.evidence().get("reason")).contains("f=cas"), result.toString());
  }

  private static Hist copy(Hist h) {
    Hist c = Hist.of();
    for (Op op : h.ops()) {
      switch (op.type()) {
        case INVOKE -> c.invoke((Long) op.process(), op.f(), op.value());
        case OK -> c.ok((Long) op.process(), op.f(), op.value());
        case FAIL -> c.fail((Long) op.process(), op.f(), op.value());
        case INFO -> c.info((Long) op.process(), op.f(), op.value());
      }
    }
    return c;
  }
}
