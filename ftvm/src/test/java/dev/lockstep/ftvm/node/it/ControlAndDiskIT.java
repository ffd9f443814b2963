package dev.lockstep.ftvm.node.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.ftvm.node.NodeExit;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.ReplayLogReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Control operations through the log, and both disk modes across a failover. */
class ControlAndDiskIT {

  private static final Duration START = Duration.ofSeconds(30);
  private FtCluster cluster;

  @AfterEach
  void stopAll() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void cleanShutdownOfThePrimaryShutsTheBackupDownInsteadOfGoingLive(TestInfo info) throws Exception {
    cluster = new FtCluster(info.getTestMethod().orElseThrow().getName());
    NodeProcess a = cluster.start("a", false);
    long e1 = cluster.awaitPrimary(a, 0, START);
    NodeProcess b = cluster.start("b", false);
    cluster.awaitBackup(b, 1, START);
    try (Load load = new Load(cluster.zkConnect(), cluster.name, 2, 1)) {
      long target = load.ok.get() + 100;
      await().atMost(Duration.ofSeconds(30)).until(() -> load.ok.get() >= target);
      a.terminate();
      await().atMost(Duration.ofSeconds(15)).until(() -> !b.alive());
    }
    assertEquals(NodeExit.CLEAN, b.exitCode(), "backup's exit; log:\n" + FtCluster.tail(b.log()));
    assertEquals(0, Checks.winners(cluster.nodes, e1 + 1), "a node went live after a clean shutdown");
    await().atMost(Duration.ofSeconds(15)).until(() -> !a.alive());
    // both replay logs are whole after the SIGTERM and end with the shutdown entry
    for (NodeProcess n : List.of(a, b)) {
      List<Event> events = new ArrayList<>();
      try (ReplayLogReader r = ReplayLogReader.open(n.dataDir.resolve("replay.log"))) {
        Event e;
        while ((e = r.take()) != null) {
          events.add(e);
        }
      }
      assertTrue(events.stream().anyMatch(e -> e.kind() == EventKind.PACKET), n.id + ": no request in its replay log");
      assertEquals(EventKind.SHUTDOWN, events.get(events.size() - 1).kind(), n.id + ": last replay-log record");
    }
  }

  @Test
  void sharedDiskSurvivesFailoverWithTheRequestInFlightReissued(TestInfo info) throws Exception {
    chaosAcrossFailover(info, "shared");
  }

  @Test
  void localDisksSurviveFailoverAndAJoiningBackupGetsTheDisk(TestInfo info) throws Exception {
    chaosAcrossFailover(info, "local");
  }

  /**
   * The chaos guest writes, reads back and compares disk sectors under timer interrupts; it exits 1
   * on a mismatch and 2 on a disk request that never ends. Killing its primary mid-run must let the
   * backup finish it with exit 0.
   */
  private void chaosAcrossFailover(TestInfo info, String mode) throws Exception {
    cluster = new FtCluster(info.getTestMethod().orElseThrow().getName());
    String disk = cluster.root.resolve("disk.img").toString();
    String[] args = {"--guest", "chaos", "--guest-param", "chaos_iterations=30000", "--hash-interval", "4194304",
        "--disk", mode, "--disk-file", disk};
    NodeProcess a = cluster.start("a", false, args);
    long e1 = cluster.awaitPrimary(a, 0, START);
    String[] argsB = args.clone();
    argsB[argsB.length - 1] = mode.equals("local") ? cluster.root.resolve("disk-b.img").toString() : disk;
    NodeProcess b = cluster.start("b", false, argsB);
    cluster.awaitBackup(b, 1, START);
    await().atMost(Duration.ofSeconds(30)).until(() -> FtCluster.count(b.events(), "state-hash") >= 3 || !a.alive());
    assertTrue(a.alive(), "the guest finished before the failover; raise chaos_iterations");
    a.kill9();
    cluster.awaitPrimary(b, e1, Duration.ofSeconds(15));
    await().atMost(Duration.ofSeconds(60)).until(() -> !b.alive());
    assertEquals(NodeExit.GUEST_HALTED, b.exitCode(), "b's exit; log:\n" + FtCluster.tail(b.log()));
    List<JsonNode> halted = FtCluster.lines(b.notes()).stream()
        .filter(j -> "guest-halted".equals(j.path("type").asText())).toList();
    assertEquals(1, halted.size());
    assertEquals(0, halted.get(0).path("exitCode").asInt(), "chaos guest's exit code (1: disk mismatch, 2: hung disk)");
    assertEquals(List.of(), Checks.divergences(cluster.nodes));
    assertTrue(Checks.comparedHashes(cluster.nodes) > 0);
  }
}
