package dev.lockstep.checkers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.histories.Histories;
import dev.lockstep.histories.Op;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs the command as the lockstep launcher does: parameter errors exit 254. */
  private int run(String... args) {
    CommandLine cli = new CommandLine(new CheckCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    cli.setExitCodeExceptionMapper(e -> CheckCommand.EXIT_USAGE);
    cli.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("lockstep: " + ex.getMessage());
      return CheckCommand.EXIT_USAGE;
    });
    return cli.execute(args);
  }

  private static Op op(int i, Op.Type type, long p, String f, Object v) {
    return new Op(i, type, f, v, p, i * 10L, null, null, null);
  }

  private Path valid() throws IOException {
    Path p = dir.resolve("valid.jsonl");
    Histories.write(p, List.of(op(0, Op.Type.INVOKE, 0, "write", 1L), op(1, Op.Type.OK, 0, "write", 1L),
        op(2, Op.Type.INVOKE, 1, "read", null), op(3, Op.Type.OK, 1, "read", 1L)));
    return p;
  }

  private Path invalid() throws IOException {
    Path p = dir.resolve("invalid.edn");
    Histories.write(p, List.of(op(0, Op.Type.INVOKE, 0, "write", 1L), op(1, Op.Type.OK, 0, "write", 1L),
        op(2, Op.Type.INVOKE, 1, "read", null), op(3, Op.Type.OK, 1, "read", 2L)));
    return p;
  }

  @Test
  void validHistoryExitsZeroAndPrintsTheVerdict() throws IOException {
    assertEquals(0, run(valid().toString()), err.toString());
    assertTrue(out.toString().startsWith("true\n"), out.toString());
  }

  @Test
  void invalidHistoryExitsOneWithTheCounterexample() throws IOException {
    assertEquals(1, run(invalid().toString()));
    assertTrue(out.toString().startsWith("false\n"), out.toString());
    assertTrue(out.toString().contains("no order fits: process 1 read 2 -> ok"), out.toString());
  }

  @Test
  void severalPathsPrintOneLineEach() throws IOException {
    Path v = valid();
    Path i = invalid();
    assertEquals(1, run(v.toString(), i.toString()));
    assertEquals(v + "\ttrue\n" + i + "\tfalse\n", out.toString());
  }

  @Test
  void knossosNilAndInitAreOptions() throws IOException {
    Path p = dir.resolve("nil.json");
    Histories.write(p, List.of(op(0, Op.Type.INVOKE, 0, "read", null), op(1, Op.Type.OK, 0, "read", 3L)));
    assertEquals(1, run(p.toString()));
    assertEquals(0, run("--init", "3", p.toString()));
    assertEquals(0, run("--model", "register", "--format", "json", "--order", "time", "--init", "3", p.toString()));
  }

  @Test
  void timeLimitTooShortIsUnknown() throws IOException {
    Path p = dir.resolve("big.jsonl");
    Histories.write(p, dev.lockstep.checkers.sim.StoreSimulator.run(dev.lockstep.checkers.sim.SimSpec.casRegister(50, 20_000, 1)));
    assertEquals(2, run("--time-limit", "0.01", p.toString()));
    assertTrue(out.toString().contains("time limit"), out.toString());
  }

  @Test
  void malformedInputExits254NamingFileLineAndColumn() throws IOException {
    Path p = dir.resolve("bad.jsonl");
    Files.writeString(p, "{\"type\":\"invoke\",\"f\":\"read\",\"process\":0}\n{\"type\": oops}\n");
    assertEquals(254, run(p.toString()));
    assertTrue(err.toString().contains(p + ":2:"), err.toString());
  }

  @Test
  void missingFileAndBadArgumentsExit254() throws IOException {
    assertEquals(254, run(dir.resolve("nope.jsonl").toString()));
    assertTrue(err.toString().contains("nope.jsonl"), err.toString());
    assertEquals(254, run("--model", "queue", valid().toString()));
    assertTrue(err.toString().contains("unknown model 'queue'"), err.toString());
    assertEquals(254, run("--order", "random", valid().toString()));
    assertEquals(254, run());
  }

  @Test
  void knossosShapedEdnWithKeywordsAndIndependentTuples() throws IOException {
    Path cas = dir.resolve("cas.edn");
    Files.writeString(cas, """
        [{:process 0, :type :invoke, :f :write, :value 0}
         {:process 0, :type :ok, :f :write, :value 0}
         {:process 1, :type :invoke, :f :cas, :value [0 4]}
         {:process 2, :type :invoke, :f :read, :value nil}
         {:process 2, :type :ok, :f :read, :value 4}
         {:process 1, :type :info, :f :cas, :value [0 4]}
         {:process 3, :type :invoke, :f :read, :value nil}
         {:process 3, :type :ok, :f :read, :value 4}]
        """);
    assertEquals(0, run(cas.toString()), out.toString());
    Path kv = dir.resolve("kv.edn");
    Files.writeString(kv, """
        {:type :invoke, :f :write, :value [1 3], :process 0, :time 10, :index 0}
        {:type :invoke, :f :read, :value [2 nil], :process 1, :time 11, :index 1}
        {:type :info, :f :start-partition, :value nil, :process :nemesis, :time 12, :index 2}
        {:type :ok, :f :write, :value [1 3], :process 0, :time 13, :index 3}
        {:type :ok, :f :read, :value [2 3], :process 1, :time 14, :index 4}
        """);
    assertEquals(1, run("--model", "kv", kv.toString()), out.toString());
    assertTrue(out.toString().contains("key 2"), out.toString());
  }

  @Test
  void runDirectoryGetsEveryCheckerAndItsResultFiles() throws IOException {
    var run = dev.lockstep.histories.run.RunDirectory.create(dir, "t",
        java.time.Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC));
    Files.copy(valid(), run.historyJsonl());
    assertEquals(0, run(run.path().toString()), out.toString() + err);
    assertTrue(out.toString().contains("\"split-brain\": {"), out.toString());
    assertTrue(Files.isRegularFile(run.resultsJson()));
    assertTrue(Files.isRegularFile(run.resultsEdn()));
    Path plain = Files.createDirectories(dir.resolve("plain"));
    assertEquals(254, run(plain.toString()));
    assertTrue(err.toString().contains("not a run directory"), err.toString());
  }
}
