package dev.lockstep.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.checkers.sim.TxnSimulator;
import dev.lockstep.histories.Format;
import dev.lockstep.histories.Histories;
import dev.lockstep.histories.Op;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Knossos's multi-register: transactions over several keys, one atomic step each. */
class MultiRegisterTest {
  /** In the shape of Knossos's data/multi-register history: keywords, :read/:write, nil reads on invoke. */
  private static final String KNOSSOS_SHAPED = """
      [{:type :invoke, :f :txn, :value [[:write :y 2]], :process 4}
       {:type :invoke, :f :txn, :value [[:read :x nil] [:read :y nil]], :process 0}
       {:type :ok, :f :txn, :value [[:read :x 0] [:read :y 2]], :process 0}
       {:type :ok, :f :txn, :value [[:write :y 2]], :process 4}
       {:type :invoke, :f :txn, :value [[:write :x 1] [:write :y 1]], :process 1}
       {:type :ok, :f :txn, :value [[:write :x 1] [:write :y 1]], :process 1}
       {:type :invoke, :f :txn, :value [[:read :x nil] [:read :y nil]], :process 2}
       {:type :ok, :f :txn, :value [[:read :x 1] [:read :y nil]], :process 2}]
      """;

  @Test
  void initialValuesByKeyOrForAllKeys() throws IOException {
    List<Op> h = Histories.parse(KNOSSOS_SHAPED, Format.EDN, "t");
    assertEquals(Verdict.TRUE, PorcupineKvTest.check(h, Model.MULTI_REGISTER, Map.of("x", 0L, "y", 0L)).result().verdict());
    assertEquals(Verdict.TRUE, PorcupineKvTest.check(h, Model.MULTI_REGISTER, 0L).result().verdict());
    assertEquals(Verdict.TRUE, PorcupineKvTest.check(h, Model.MULTI_REGISTER, 0.0).result().verdict(), "0.0 is 0");
    // Nil at first: nothing wrote x=0 before the read that saw it.
    LinearReport nil = PorcupineKvTest.check(h, null, null);
    assertEquals(Verdict.FALSE, nil.result().verdict());
    assertEquals("multi-register", nil.result().evidence().get("model"));
    assertTrue(nil.counterexample().text().contains("txn [[read, x, 0], [read, y, 2]]"), nil.counterexample().text());
  }

  @Test
  void aTransactionIsAtomicAcrossKeys() throws IOException {
    // x and y are written together; a read between seeing x new and y old is not possible.
    String edn = """
        {:type :invoke, :f :txn, :value [[:w :x 1] [:w :y 1]], :process 0}
        {:type :ok, :f :txn, :value [[:w :x 1] [:w :y 1]], :process 0}
        {:type :invoke, :f :txn, :value [[:w :x 2] [:w :y 2]], :process 0}
        {:type :invoke, :f :txn, :value [[:r :x nil] [:r :y nil]], :process 1}
        {:type :ok, :f :txn, :value [[:r :x 2] [:r :y 1]], :process 1}
        {:type :ok, :f :txn, :value [[:w :x 2] [:w :y 2]], :process 0}
        """;
    assertEquals(Verdict.FALSE, PorcupineKvTest.check(Histories.parse(edn, Format.EDN, "t"), null, null).result().verdict());
    String consistent = edn.replace("[:r :y 1]", "[:r :y 2]");
    assertEquals(Verdict.TRUE, PorcupineKvTest.check(Histories.parse(consistent, Format.EDN, "t"), null, null).result().verdict());
    // A crashed transaction may have happened: the read of its writes is then fine.
    String crashed = consistent.replace("{:type :ok, :f :txn, :value [[:w :x 2] [:w :y 2]], :process 0}",
        "{:type :info, :f :txn, :value [[:w :x 2] [:w :y 2]], :process 0}");
    assertEquals(Verdict.TRUE, PorcupineKvTest.check(Histories.parse(crashed, Format.EDN, "t"), null, null).result().verdict());
  }

  @Test
  void simulatedStoresAreValidAndAStaleReadIsFound() {
    for (long seed = 1; seed <= 5; seed++) {
      List<Op> valid = TxnSimulator.run(5, 3, 400, seed, false);
      assertEquals(Verdict.TRUE, PorcupineKvTest.check(valid, Model.MULTI_REGISTER, null).result().verdict(), "seed " + seed);
      List<Op> stale = TxnSimulator.run(5, 3, 400, seed, true);
      assertEquals(Verdict.FALSE, PorcupineKvTest.check(stale, Model.MULTI_REGISTER, null).result().verdict(), "seed " + seed);
    }
  }

  @Test
  void aMalformedMicroOpIsBadInput() throws IOException {
    String edn = """
        {:type :invoke, :f :txn, :value [[:inc :x 1]], :process 0}
        {:type :ok, :f :txn, :value [[:inc :x 1]], :process 0}
        """;
    LinearReport report = PorcupineKvTest.check(Histories.parse(edn, Format.EDN, "t"), null, null);
    assertTrue(LinearizabilityChecker.isBadInput(report.result()), report.result().toString());
    assertTrue(report.result().evidence().get("reason").toString().contains("micro-op f=inc"), report.result().toString());
  }
}
