package dev.lockstep.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.Format;
import dev.lockstep.histories.Histories;
import dev.lockstep.histories.Op;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Porcupine's kv model on Porcupine's own kv logs (see resources/porcupine-kv/NOTICE.md) and by hand. */
class PorcupineKvTest {

  @ParameterizedTest
  @CsvSource({"c01-ok, TRUE", "c01-bad, FALSE", "c10-ok, TRUE", "c10-bad, FALSE"})
  void porcupinesOwnLogsGetPorcupinesVerdicts(String log, Verdict expected) throws IOException {
    List<Op> history = read("/porcupine-kv/" + log + ".txt");
    assertEquals(expected, check(history, Model.PORCUPINE_KV, null).result().verdict());
    // The model is inferred from get/put/append too.
    assertEquals(expected, check(history, null, null).result().verdict());
  }

  @Test
  void appendsAndPutsMeetInTheSameString() throws IOException {
    String edn = """
        {:process 0, :type :invoke, :f :put, :key "k", :value "a"}
        {:process 0, :type :ok, :f :put, :key "k", :value "a"}
        {:process 0, :type :invoke, :f :append, :key "k", :value "b"}
        {:process 0, :type :ok, :f :append, :key "k", :value "b"}
        {:process 1, :type :invoke, :f :get, :key "k", :value nil}
        {:process 1, :type :ok, :f :get, :key "k", :value "ab"}
        {:process 1, :type :invoke, :f :get, :key "j", :value nil}
        {:process 1, :type :ok, :f :get, :key "j", :value ""}
        """;
    assertEquals(Verdict.TRUE, check(Histories.parse(edn, Format.EDN, "t"), Model.PORCUPINE_KV, null).result().verdict());
    String wrong = edn.replace(":value \"ab\"", ":value \"ba\"");
    LinearReport report = check(Histories.parse(wrong, Format.EDN, "t"), Model.PORCUPINE_KV, null);
    assertEquals(Verdict.FALSE, report.result().verdict());
    assertTrue(report.counterexample().text().contains("get ba"), report.counterexample().text());
    assertTrue(report.counterexample().states().contains("ab"), report.counterexample().states().toString());
    // With an initial value, an unwritten key reads it.
    assertEquals(Verdict.FALSE, check(Histories.parse(edn, Format.EDN, "t"), Model.PORCUPINE_KV, "z").result().verdict());
  }

  @Test
  void aValueThatIsNotAStringIsBadInput() throws IOException {
    String edn = """
        {:process 0, :type :invoke, :f :put, :key "k", :value 5}
        {:process 0, :type :ok, :f :put, :key "k", :value 5}
        """;
    LinearReport report = check(Histories.parse(edn, Format.EDN, "t"), Model.PORCUPINE_KV, null);
    assertEquals(Verdict.UNKNOWN, report.result().verdict());
    assertTrue(LinearizabilityChecker.isBadInput(report.result()), report.result().toString());
    assertTrue(report.result().evidence().get("reason").toString().contains("holds strings"), report.result().toString());
  }

  static LinearReport check(List<Op> history, Model model, Object init) {
    LinearOptions options = LinearOptions.of(model, System::nanoTime).withInit(init).withTimeLimit(Duration.ofSeconds(60));
    return new LinearizabilityChecker(options).analyze(history);
  }

  private static List<Op> read(String resource) throws IOException {
    try (var in = PorcupineKvTest.class.getResourceAsStream(resource)) {
      return Histories.read(new InputStreamReader(in, StandardCharsets.UTF_8), Format.EDN, resource);
    }
  }
}
