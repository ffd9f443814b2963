package dev.lockstep.harness.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.harness.runner.ChildJvm;
import dev.lockstep.nemesis.netns.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep test --net netns} on real namespaces, veth pairs, a bridge and iptables rules: a short
 * partition and one-way run reaches a valid verdict, its history names the links it cut, and afterwards no
 * namespace, veth, bridge or host rule of it is left; a run stopped with SIGTERM removes everything too,
 * and what a run killed with SIGKILL leaves (namespaces with its ZooKeeper and nodes still running) is
 * swept. Skipped without root.
 */
class NetnsRunIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RUN_MAX = Duration.ofMinutes(4);
  private static final Duration START_MAX = Duration.ofSeconds(90);
  private static final Duration GONE_MAX = Duration.ofSeconds(30);

  @BeforeAll
  static void needsRoot() {
    assumeTrue("root".equals(System.getProperty("user.name")),
        "--net netns makes network namespaces and iptables rules, which needs root");
  }

  @Test
  void aPartitionRunIsValidAndLeavesNothingBehind(@TempDir Path store) throws Exception {
    String hostRules = Shell.run("iptables", "-S");
    String tagPrefix = "r" + Long.toString(ProcessHandle.current().pid(), 36);
    CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of("test", "--net", "netns",
        "--workload", "cas-register", "--nemesis", "partition,one-way", "--nemesis-interval", "3",
        "--time-limit", "20", "--seed", "7", "--store", store.toString()));
    // zk1, n1 and n2 namespaces, the bridge and a veth per member.
    await().atMost(START_MAX).until(() -> ours(tagPrefix).size() >= 7 || run.isDone());
    assertFalse(run.isDone(), "the run made a namespace per member: " + (run.isDone() ? run.get().out() + run.get().err() : ""));
    CliRun done = run.get(RUN_MAX.toSeconds(), TimeUnit.SECONDS);

    assertEquals(0, done.exit(), done.out() + done.err());
    assertTrue(done.out().contains("valid? true"), done.out());
    assertTrue(done.out().contains("--net netns"), "the rerun command keeps the mode: " + done.out());
    List<String> cut = new ArrayList<>();
    for (JsonNode op : history(store)) {
      if ("nemesis".equals(op.path("process").asText()) && op.path("value").has("cut")) {
        op.path("value").path("cut").forEach(l -> cut.add(op.path("f").asText() + " " + l.asText()));
      }
    }
    assertTrue(cut.stream().anyMatch(c -> c.startsWith("start-partition")), "a partition cut links: " + cut);
    assertEquals(List.of(), ours(tagPrefix), "namespaces, veths and the bridge are gone");
    assertEquals(hostRules, Shell.run("iptables", "-S"), "the host's own rules are untouched");
  }

  @Test
  void sigtermRemovesEverythingAndSigkillLeftoversAreSwept(@TempDir Path store) throws Exception {
    for (boolean kill : new boolean[] {false, true}) {
      Process harness = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), ChildJvm.MAIN_CLASS, "test", "--net", "netns",
          "--nemesis", "partition", "--time-limit", "120", "--store", store.toString()))
          .redirectErrorStream(true).redirectOutput(store.resolve("harness-" + kill + ".log").toFile()).start();
      String tagPrefix = "r" + Long.toString(harness.pid(), 36);
      try {
        // Started far enough that ZooKeeper and a node run inside their namespaces.
        await().atMost(START_MAX).until(() -> !harness.isAlive() || ours(tagPrefix).size() >= 4
            && !pidsIn(tagPrefix, "n1").isEmpty());
        assertTrue(harness.isAlive(), "the run started: " + Files.readString(store.resolve("harness-" + kill + ".log")));
        List<ProcessHandle> members = new ArrayList<>(pidsIn(tagPrefix, "zk1"));
        members.addAll(pidsIn(tagPrefix, "n1"));
        if (kill) {
          harness.destroyForcibly().waitFor(GONE_MAX.toSeconds(), TimeUnit.SECONDS);
          assertFalse(ours(tagPrefix).isEmpty(), "SIGKILL leaves the namespaces, with the run's processes inside");
          assertTrue(members.stream().anyMatch(ProcessHandle::isAlive), "orphans still run in them: " + members + " "
              + members.stream().map(ProcessHandle::isAlive).toList() + " " + ours(tagPrefix) + " " + Shell.run("ps", "-eo", "pid,ppid,args"));
          List<String> swept = Netns.sweepStale();
          assertTrue(swept.stream().anyMatch(s -> s.contains(tagPrefix)), "swept: " + swept);
        } else {
          harness.destroy();
          assertTrue(harness.waitFor(GONE_MAX.toSeconds(), TimeUnit.SECONDS), "SIGTERM ends the run");
        }
        String how = kill ? "after SIGKILL and a sweep" : "after SIGTERM";
        await().atMost(GONE_MAX).untilAsserted(() -> {
          assertEquals(List.of(), ours(tagPrefix), "namespaces, veths and bridge " + how);
          assertEquals(List.of(), members.stream().filter(ProcessHandle::isAlive).toList(), "ZooKeeper and node processes " + how);
        });
      } finally {
        harness.destroyForcibly();
        Netns.sweepStale();
      }
    }
  }

  /** The namespaces and host links of runs whose tag starts with {@code tagPrefix}. */
  private static List<String> ours(String tagPrefix) {
    List<String> out = new ArrayList<>();
    for (String line : Shell.run("ip", "netns", "list").split("\n")) {
      if (line.startsWith(Netns.NAMESPACE_PREFIX + tagPrefix)) {
        out.add(line.split(" ")[0]);
      }
    }
    for (String line : Shell.run("ip", "-o", "link", "show").split("\n")) {
      String[] parts = line.split(":\\s+");
      String name = parts.length > 1 ? parts[1].split("@")[0] : "";
      if (name.startsWith("lsb" + tagPrefix) || name.startsWith("lsv" + tagPrefix)) {
        out.add(name);
      }
    }
    return out;
  }

  private static List<ProcessHandle> pidsIn(String tagPrefix, String member) {
    List<ProcessHandle> out = new ArrayList<>();
    for (String ns : ours(tagPrefix)) {
      if (ns.startsWith(Netns.NAMESPACE_PREFIX) && ns.endsWith("-" + member)) {
        for (String pid : Shell.run("ip", "netns", "pids", ns).split("\\s+")) {
          if (pid.matches("\\d+")) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(out::add);
          }
        }
      }
    }
    return out;
  }

  private static List<JsonNode> history(Path store) throws IOException {
    Path file;
    try (var found = Files.find(store, 4, (p, a) -> p.getFileName().toString().equals("history.jsonl"))) {
      file = found.findFirst().orElseThrow(() -> new AssertionError("no history.jsonl under " + store));
    }
    List<JsonNode> ops = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        ops.add(JSON.readTree(line));
      }
    }
    return ops;
  }

  /** Runs a host tool to its end and returns its output. */
  private static final class Shell {
    static String run(String... command) {
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
      } catch (IOException e) {
        throw new AssertionError("cannot run " + String.join(" ", command), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted running " + String.join(" ", command), e);
      }
    }
  }
}
