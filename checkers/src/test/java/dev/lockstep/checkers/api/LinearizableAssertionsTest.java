package dev.lockstep.checkers.api;

import static dev.lockstep.checkers.api.LinearizableAssertions.assertLinearizable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library API as a user's JUnit test calls it. */
class LinearizableAssertionsTest {
  @TempDir Path dir;

  private Path history(String name, long read) throws IOException {
    return Files.writeString(dir.resolve(name), """
        [{:process 0, :type :invoke, :f :write, :value 1} {:process 0, :type :ok, :f :write, :value 1}
         {:process 1, :type :invoke, :f :cas, :value [1 2]} {:process 1, :type :ok, :f :cas, :value [1 2]}
         {:process 2, :type :invoke, :f :read, :value nil} {:process 2, :type :ok, :f :read, :value %d}]
        """.formatted(read));
  }

  @Test
  void aValidHistoryPassesAndReturnsItsReport() throws IOException {
    CheckReport report = assertLinearizable(history("ok.edn", 2), "cas-register");
    assertEquals(Verdict.TRUE, report.verdict());
    assertTrue(report.counterexampleIfAny().isEmpty());
    assertEquals("cas-register", report.result().evidence().get("model"));
  }

  @Test
  void aFailureMessageShowsTheCounterexample() throws IOException {
    Path bad = history("bad.edn", 1);
    AssertionError e = assertThrows(AssertionError.class, () -> assertLinearizable(bad, "cas-register"));
    assertTrue(e.getMessage().contains("no order fits: process 2 read 1 -> ok"), e.getMessage());
    assertTrue(e.getMessage().contains("states reachable just before: [2]"), e.getMessage());
    CheckReport report = HistoryCheck.of(bad).model("cas-register").run();
    assertEquals(Verdict.FALSE, report.verdict());
    assertEquals(2L, report.counterexampleIfAny().orElseThrow().states().get(0));
  }

  @Test
  void unknownFailsTooWithItsReason() {
    List<Op> ops = List.of(Op.invoke(0L, "write", 1L), Op.ok(0L, "write", 1L), Op.invoke(1L, "dequeue", null), Op.ok(1L, "dequeue", 1L));
    HistoryCheck check = HistoryCheck.of("in memory", ops).model("register").timeLimit(Duration.ofSeconds(5));
    AssertionError e = assertThrows(AssertionError.class, () -> assertLinearizable(check));
    assertTrue(e.getMessage().contains("f=dequeue, which model register does not know"), e.getMessage());
  }

  @Test
  void formatComesFromTheContentWhenTheExtensionSaysNothing() throws IOException {
    Path log = Files.writeString(dir.resolve("porcupine.log"), """
        {:process 0, :type :invoke, :f :put, :key "k", :value "a"}
        {:process 0, :type :ok, :f :put, :key "k", :value "a"}
        {:process 1, :type :invoke, :f :append, :key "k", :value "b"}
        {:process 1, :type :ok, :f :append, :key "k", :value "b"}
        {:process 1, :type :invoke, :f :get, :key "k", :value nil}
        {:process 1, :type :ok, :f :get, :key "k", :value "ab"}
        """);
    assertEquals(Verdict.TRUE, HistoryCheck.of(log).run().verdict());
    assertEquals("porcupine-kv", HistoryCheck.of(log).run().result().evidence().get("model"));
  }
}
