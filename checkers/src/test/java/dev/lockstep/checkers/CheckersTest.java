package dev.lockstep.checkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.linear.LinearOptions;
import dev.lockstep.checkers.linear.Model;
import dev.lockstep.histories.Histories;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.events.NodeEvent;
import dev.lockstep.histories.events.NodeEventWriter;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckersTest {
  @TempDir Path root;

  static List<Op> staleRead() {
    return List.of(
        new Op(0, Op.Type.INVOKE, "write", 1L, 0L, 0, null, null, null),
        new Op(1, Op.Type.OK, "write", 1L, 0L, 10, null, null, null),
        new Op(2, Op.Type.INVOKE, "read", null, 1L, 20, null, null, null),
        new Op(3, Op.Type.OK, "read", 0L, 1L, 30, null, null, null));
  }

  @Test
  void mergesFalseOverUnknownOverTrue() {
    assertEquals(Verdict.FALSE, Verdict.TRUE.merge(Verdict.FALSE).merge(Verdict.UNKNOWN));
    assertEquals(Verdict.UNKNOWN, Verdict.TRUE.merge(Verdict.UNKNOWN));
    assertEquals(Verdict.TRUE, Verdict.TRUE.merge(Verdict.TRUE));
  }

  @Test
  void aThrowingCheckerIsUnknownAndTheOthersStillRun() {
    Checker broken = new Checker() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public Result check(CheckInput input) {
        throw new IllegalStateException("boom");
      }
    };
    Checker fine = new Checker() {
      @Override
      public String name() {
        return "fine";
      }

      @Override
      public Result check(CheckInput input) {
        return Result.of("fine", Verdict.TRUE, null);
      }
    };
    Summary s = Checkers.run(CheckInput.ofHistory(List.of()), List.of(broken, fine));
    assertEquals(Verdict.UNKNOWN, s.verdict());
    assertEquals(Verdict.UNKNOWN, s.results().get(0).verdict());
    assertTrue(s.results().get(0).evidence().get("reason").toString().contains("boom"));
    assertEquals(Verdict.TRUE, s.results().get(1).verdict());
  }

  @Test
  void runDirectoryGetsResultsAndTheCounterexamplePage() throws IOException {
    RunDirectory run = RunDirectory.create(root, "t", Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    Histories.write(run.historyJsonl(), staleRead());
    try (NodeEventWriter w = run.openEventLog("n1")) {
      w.write(new NodeEvent.StateHash("n1", 5, "aa"));
    }
    try (NodeEventWriter w = run.openEventLog("n2")) {
      w.write(new NodeEvent.StateHash("n2", 5, "ab"));
    }
    // n2 was killed while writing its next line.
    Files.writeString(run.nodeEvents("n2"), "{\"type\":\"state-hash\",\"node\":\"n2\",\"ic", java.nio.file.StandardOpenOption.APPEND);
    Summary s = Checkers.checkRunDirectory(run.path(), LinearOptions.of(Model.REGISTER, System::nanoTime), HistoryOrder.INDEX);
    assertEquals(Verdict.FALSE, s.verdict());
    String json = Files.readString(run.resultsJson());
    assertTrue(json.contains("\"divergence\": {"), json);
    assertTrue(json.contains("\"first-divergent-icount\": 5"), json);
    assertTrue(json.contains("\"torn-event-logs\": [\"n2\"]"), json);
    String edn = Files.readString(run.resultsEdn());
    assertTrue(edn.startsWith("{:valid? false"), edn);
    assertTrue(edn.contains(":linearizable {:checker \"linearizable\", :valid? false"), edn);
    assertTrue(Files.readString(run.path().resolve(Checkers.LINEAR_HTML)).contains("Not linearizable"));
  }

  @Test
  void ednResultsReadBackAsEdn() throws IOException {
    Summary s = Checkers.run(CheckInput.ofHistory(staleRead()), Checkers.standard(LinearOptions.of(null, System::nanoTime)));
    String edn = ResultFiles.edn(s.toMap());
    // The histories module's EDN reader must accept what we write: a results map is one EDN value.
    assertTrue(edn.contains(":stats {:checker \"stats\", :valid? true"), edn);
    assertTrue(edn.contains(":duplicate-output {"), edn);
  }
}
