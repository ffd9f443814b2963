package dev.lockstep.harness.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.harness.runner.ChildJvm;
import dev.lockstep.histories.run.RunDirectory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One seed is one run: the same history byte for byte, in one JVM and across two. */
class SimRunnerTest {

  static final long CHILD_JVM_SECONDS_MAX = 300;

  @TempDir Path tmp;

  private SimOutcome run(SimSettings s, Path root) throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    SimOutcome o = new SimRunner(new PrintStream(text, true, StandardCharsets.UTF_8), true).run(s, root);
    assertTrue(text.toString(StandardCharsets.UTF_8).contains("rerun: " + s.command()), "every run prints its command");
    return o;
  }

  @Test
  void theSameSeedGivesAByteIdenticalHistoryTwiceInOneJvm() throws Exception {
    SimSettings s = new SimSettings("append", 11, 5, List.of(), tmp.toString());
    SimOutcome a = run(s, tmp.resolve("a"));
    SimOutcome b = run(s, tmp.resolve("b"));
    assertTrue(a.ops() > 50, "the run did work: " + a.ops() + " ops");
    Map<String, byte[]> first = recorded(a.runDirectory());
    Map<String, byte[]> second = recorded(b.runDirectory());
    assertTrue(first.containsKey("nodes/n1/events.jsonl") && first.containsKey("nodes/n2/replay.log"), first.keySet()
        .toString());
    assertEquals(first.keySet(), second.keySet());
    for (String file : first.keySet()) {
      assertArrayEquals(first.get(file), second.get(file), file + " differs between two runs of seed 11");
    }
    assertArrayEquals(Files.readAllBytes(a.runDirectory().resolve(RunDirectory.TEST_JSON)),
        Files.readAllBytes(b.runDirectory().resolve(RunDirectory.TEST_JSON)));
    assertEquals(a.verdict(), b.verdict());
    SimOutcome other = run(s.withSeed(12), tmp.resolve("c"));
    assertTrue(!java.util.Arrays.equals(Files.readAllBytes(a.runDirectory().resolve(RunDirectory.HISTORY_JSONL)),
        Files.readAllBytes(other.runDirectory().resolve(RunDirectory.HISTORY_JSONL))), "another seed, another history");
  }

  @Test
  void theSameSeedGivesAByteIdenticalHistoryInTwoSeparateJvms() throws Exception {
    Map<String, byte[]> first = childRun(tmp.resolve("one"));
    Map<String, byte[]> second = childRun(tmp.resolve("two"));
    assertTrue(first.get(RunDirectory.HISTORY_JSONL).length > 0);
    assertEquals(first.keySet(), second.keySet());
    for (String file : first.keySet()) {
      assertArrayEquals(first.get(file), second.get(file), file + " of seed 23 differs between two JVMs");
    }
  }

  /**
   * What a run recorded that must repeat byte for byte: the histories, the nemesis log, and every
   * node's event log, notes, replay logs and snapshots.
   */
  static Map<String, byte[]> recorded(Path run) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    for (String f : List.of(RunDirectory.HISTORY_JSONL, RunDirectory.HISTORY_EDN, RunDirectory.NEMESIS_JSONL)) {
      files.put(f, Files.readAllBytes(run.resolve(f)));
    }
    try (var walk = Files.walk(run.resolve(RunDirectory.NODES))) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(run.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private static Map<String, byte[]> childRun(Path store) throws IOException, InterruptedException {
    Path log = store.resolve("sim.log");
    Process p = ChildJvm.launch(List.of("sim", "--seed", "23", "--workload", "kv", "--time-limit", "4", "--store",
        store.toString()), log);
    assertTrue(p.waitFor(CHILD_JVM_SECONDS_MAX, TimeUnit.SECONDS), "child JVM finished");
    String output = Files.readString(log);
    assertEquals(0, p.exitValue(), output);
    return recorded(RunDirectory.latest(store).orElseThrow().path());
  }

  @Test
  void aValidRunIsJudgedByEveryCheckerAndLockstepCheckAgrees() throws Exception {
    SimOutcome o = run(new SimSettings("cas-register", 3, 4, List.of(), tmp.toString()), tmp);
    assertEquals(Verdict.TRUE, o.verdict(), o.results().toString());
    List<String> checkers = o.results().stream().map(r -> r.checker()).toList();
    assertTrue(checkers.contains("liveness") && checkers.contains("linearizable"), checkers.toString());
    int exit = dev.lockstep.harness.cli.LockstepCli.commandLine().execute("check", o.runDirectory().toString());
    assertEquals(0, exit, "lockstep check on the sim's run directory");
    // the simulated primary notes its log buffer as the real one does, so the buffer audit runs here too
    Object audited = o.results().stream().filter(r -> r.checker().equals("output-continuity")).findFirst()
        .orElseThrow().evidence().get("buffer-audit");
    assertTrue(String.valueOf(audited).matches("[1-9][0-9]* counts of a primary's log buffer audited"), String.valueOf(audited));
  }
}
